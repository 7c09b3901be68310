using System.Diagnostics;

namespace Studio.Sandbox.Tests.Simulation;

/// <summary>A simulated cluster (Speed 100) plus the real kubectl with a temporary kubeconfig and cache directory.</summary>
public sealed class SimulatedKubectl : IAsyncLifetime
{
    private readonly SimulatedCluster _cluster = new();

    public string Directory { get; } = Path.Combine(Path.GetTempPath(), "sandbox-sim-kubectl-" + Guid.NewGuid().ToString("N")[..8]);
    public string Kubeconfig => Path.Combine(Directory, "kubeconfig");
    public SimulatedCluster Cluster => _cluster;

    public async ValueTask InitializeAsync()
    {
        System.IO.Directory.CreateDirectory(Directory);
        await _cluster.InitializeAsync();
        await File.WriteAllTextAsync(Kubeconfig, _cluster.Server.CreateKubeconfigYaml());
    }

    public string WriteFile(string name, string content)
    {
        var path = Path.Combine(Directory, name);
        File.WriteAllText(path, content);
        return path;
    }

    public async Task<(int Exit, string Out, string Err)> RunAsync(params string[] args)
    {
        var psi = new ProcessStartInfo(KubectlFixture.KubectlPath) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add("--kubeconfig");
        psi.ArgumentList.Add(Kubeconfig);
        psi.ArgumentList.Add("--cache-dir");
        psi.ArgumentList.Add(Path.Combine(Directory, "cache"));
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        psi.Environment["HOME"] = Directory;
        using var process = Process.Start(psi)!;
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cts.CancelAfter(TimeSpan.FromSeconds(90)); // safety net against a hung kubectl
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
        await _cluster.DisposeAsync();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
