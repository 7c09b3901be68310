using System.Diagnostics;

namespace Studio.Live.Bench;

/// <summary>
/// The sandbox cluster as a process of its own (<c>--sandbox-process</c>): the standalone <c>Studio.Sandbox</c> built next to
/// this bench, on a free loopback port. With it, the studio's process no longer serves the Kubernetes API (the PATCHes and
/// both watches), so its CPU figure is the studio's alone, as in production where the API server is elsewhere.
/// </summary>
internal sealed class SandboxProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _kubeconfigPath;

    private SandboxProcess(Process process, string kubeconfigPath, string kubeconfigYaml)
    {
        _process = process;
        _kubeconfigPath = kubeconfigPath;
        KubeconfigYaml = kubeconfigYaml;
    }

    public string KubeconfigYaml { get; }

    /// <summary>CPU time the sandbox process has used so far.</summary>
    public TimeSpan CpuTime
    {
        get
        {
            _process.Refresh();
            return _process.TotalProcessorTime;
        }
    }

    public static async Task<SandboxProcess> StartAsync()
    {
        var kubeconfigPath = Path.Combine(Path.GetTempPath(), $"studio-live-bench-sandbox-{Environment.ProcessId}.kubeconfig");
        File.Delete(kubeconfigPath);
        var start = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "Studio.Sandbox")) { UseShellExecute = false, RedirectStandardOutput = true };
        foreach (var arg in new[] { "--port", "0", "--kubeconfig", kubeconfigPath })
        {
            start.ArgumentList.Add(arg);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("Studio.Sandbox did not start.");
        _ = process.StandardOutput.ReadToEndAsync(); // drain its console
        var waited = Stopwatch.StartNew();
        while (!File.Exists(kubeconfigPath) || new FileInfo(kubeconfigPath).Length == 0)
        {
            if (process.HasExited || waited.Elapsed > TimeSpan.FromSeconds(60))
            {
                throw new InvalidOperationException($"Studio.Sandbox did not write its kubeconfig within {waited.Elapsed.TotalSeconds:0} s (exited: {process.HasExited}).");
            }

            await Task.Delay(100);
        }

        await Task.Delay(200); // the file is written in one call; let it finish
        return new SandboxProcess(process, kubeconfigPath, await File.ReadAllTextAsync(kubeconfigPath));
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        File.Delete(_kubeconfigPath);
    }
}
