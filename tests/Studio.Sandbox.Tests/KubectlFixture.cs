using System.Diagnostics;
using k8s;

namespace Studio.Sandbox.Tests;

/// <summary>A separate sandbox plus a kubeconfig file for the real kubectl binary.</summary>
public sealed class KubectlFixture : IAsyncLifetime
{
    public const string KubectlPath = "/usr/bin/kubectl";

    public SandboxServer Server { get; private set; } = null!;
    public Kubernetes Client { get; private set; } = null!;
    public string Directory { get; } = Path.Combine(Path.GetTempPath(), "sandbox-kubectl-" + Guid.NewGuid().ToString("N")[..8]);
    public string Kubeconfig => Path.Combine(Directory, "kubeconfig");

    public async ValueTask InitializeAsync()
    {
        System.IO.Directory.CreateDirectory(Directory);
        Server = await SandboxServer.StartAsync(new SandboxOptions { Simulate = false });
        Client = SandboxFixture.CreateClient(Server);
        await File.WriteAllTextAsync(Kubeconfig, Server.CreateKubeconfigYaml());
    }

    public static void RequireKubectl() =>
        Assert.SkipUnless(File.Exists(KubectlPath), $"kubectl is not installed at {KubectlPath}; the kubectl compatibility tests need the real binary.");

    public string File_(string name, string content)
    {
        var path = Path.Combine(Directory, name);
        File.WriteAllText(path, content);
        return path;
    }

    public ProcessStartInfo StartInfo(params string[] args)
    {
        var psi = new ProcessStartInfo(KubectlPath)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add("--kubeconfig");
        psi.ArgumentList.Add(Kubeconfig);
        psi.ArgumentList.Add("--cache-dir");
        psi.ArgumentList.Add(Path.Combine(Directory, "cache-" + Guid.NewGuid().ToString("N")[..6]));
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        psi.Environment["HOME"] = Directory;
        return psi;
    }

    public async Task<(int Exit, string Out, string Err)> RunAsync(params string[] args)
    {
        using var process = Process.Start(StartInfo(args))!;
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cts.CancelAfter(TimeSpan.FromSeconds(60)); // safety net against a hung kubectl
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

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Server.DisposeAsync();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort.
        }
    }
}
