using System.Diagnostics;
using Studio.Sandbox;

namespace Studio.Infrastructure.Tests.InstanceTypes;

/// <summary>The real kubectl binary against a sandbox (its own kubeconfig file and cache).</summary>
internal sealed class Kubectl : IDisposable
{
    public const string Path = "/usr/bin/kubectl";

    private readonly string _directory = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "it-kubectl-" + Guid.NewGuid().ToString("N")[..8]);

    public Kubectl(SandboxServer sandbox)
    {
        Assert.SkipUnless(File.Exists(Path), $"kubectl is not installed at {Path}.");
        Directory.CreateDirectory(_directory);
        File.WriteAllText(Kubeconfig, sandbox.CreateKubeconfigYaml());
    }

    private string Kubeconfig => System.IO.Path.Combine(_directory, "kubeconfig");

    public string Write(string name, string content)
    {
        var path = System.IO.Path.Combine(_directory, name);
        File.WriteAllText(path, content);
        return path;
    }

    public async Task<(int Exit, string Out, string Err)> RunAsync(params string[] args)
    {
        var psi = new ProcessStartInfo(Path) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "--kubeconfig", Kubeconfig, "--cache-dir", System.IO.Path.Combine(_directory, "cache") }.Concat(args))
        {
            psi.ArgumentList.Add(a);
        }

        psi.Environment["HOME"] = _directory;
        using var process = Process.Start(psi)!;
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cts.CancelAfter(TimeSpan.FromSeconds(60));
        var stdout = process.StandardOutput.ReadToEndAsync(cts.Token);
        var stderr = process.StandardError.ReadToEndAsync(cts.Token);
        await process.WaitForExitAsync(cts.Token);
        return (process.ExitCode, await stdout, await stderr);
    }

    public async Task<string> OkAsync(params string[] args)
    {
        var (exit, output, error) = await RunAsync(args);
        Assert.True(exit == 0, $"kubectl {string.Join(' ', args)} exited {exit}: {error}{output}");
        return output;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
