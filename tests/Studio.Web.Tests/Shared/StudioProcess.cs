using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Studio.Web.Tests.Shared;

/// <summary>
/// The studio as its own process (<c>dotnet Studio.Web.dll</c> from this test's output folder, Production environment),
/// listening where <c>ASPNETCORE_URLS</c> says (a random loopback port), with its own data folder. <see cref="Kill"/> is
/// <c>kill -9</c>. The last lines it printed are kept for failure messages.
/// </summary>
public sealed class StudioProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Queue<string> _output = new();
    private readonly string _dataFolder;

    private StudioProcess(Process process, int port, string dataFolder)
    {
        _process = process;
        Port = port;
        _dataFolder = dataFolder;
        BaseAddress = new Uri($"http://127.0.0.1:{port}/");
        process.OutputDataReceived += (_, e) => Keep(e.Data);
        process.ErrorDataReceived += (_, e) => Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public int Port { get; }

    public Uri BaseAddress { get; }

    public int ProcessId => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>What the process printed last (at most 200 lines).</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return string.Join(Environment.NewLine, _output);
            }
        }
    }

    /// <summary>
    /// Starts the studio with <paramref name="environment"/> (configuration as environment variables, e.g.
    /// <c>Studio__Database__Provider</c>) plus <c>ASPNETCORE_URLS</c> on a free loopback port, without the embedded sandbox;
    /// with <paramref name="waitReady"/>, returns once <c>/healthz/ready</c> answers 200 (fails with its output otherwise).
    /// </summary>
    public static async Task<StudioProcess> StartAsync(IReadOnlyDictionary<string, string?> environment, CancellationToken cancellationToken, bool waitReady = true, IReadOnlyList<string>? arguments = null, int? port = null)
    {
        var chosen = port ?? FreePort();
        var dataFolder = Path.Combine(Path.GetTempPath(), "studio-process-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dataFolder);
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet")
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Studio.Web.dll"));
        foreach (var argument in arguments ?? [])
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{chosen}";
        start.Environment["Studio__DataFolder"] = dataFolder;
        start.Environment["Studio__Sandbox__Enabled"] = "false";
        start.Environment["Logging__LogLevel__Default"] = "Information";
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        var studio = new StudioProcess(Process.Start(start)!, chosen, dataFolder);
        if (waitReady)
        {
            try
            {
                await studio.WaitReadyAsync(TimeSpan.FromSeconds(180), cancellationToken);
            }
            catch
            {
                await studio.DisposeAsync();
                throw;
            }
        }

        return studio;
    }

    /// <summary>Waits until <c>/healthz/ready</c> answers 200 on <see cref="BaseAddress"/>; fails with the output when the process exits or time runs out.</summary>
    public async Task WaitReadyAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        // A cold first request (EF model, JIT) on a loaded machine takes long: let it finish rather than cancel and repeat it.
        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The studio exited with code {_process.ExitCode} before it was ready on {BaseAddress}:{Environment.NewLine}{Output}");
            }

            try
            {
                using var response = await http.GetAsync("healthz/ready", cancellationToken);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"The studio did not answer /healthz/ready on {BaseAddress} within {timeout.TotalSeconds:0} s:{Environment.NewLine}{Output}");
            }

            await Task.Delay(250, cancellationToken);
        }
    }

    /// <summary>Waits for the process to end by itself; returns its exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        await _process.WaitForExitAsync(deadline.Token);
        return _process.ExitCode;
    }

    /// <summary>An HTTP client for the studio's address (Local sign-in: loopback requests act as the local administrator).</summary>
    public HttpClient CreateClient() => new() { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(60) };

    /// <summary>Its resident memory and the CPU time it used so far.</summary>
    public (long WorkingSetBytes, TimeSpan Cpu) Usage()
    {
        _process.Refresh();
        return (_process.WorkingSet64, _process.TotalProcessorTime);
    }

    /// <summary>Asks the process to stop (SIGTERM, as Kubernetes does before a pod goes away): the host shuts down gracefully.</summary>
    public void Terminate()
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", $"-TERM {_process.Id}") { UseShellExecute = false })!;
        kill.WaitForExit(10_000);
    }

    /// <summary>Ends the process at once (SIGKILL, as <c>kill -9</c>): no shutdown code runs.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: false);
            _process.WaitForExit(10_000);
        }
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.Enqueue(line);
            while (_output.Count > 200)
            {
                _output.Dequeue();
            }
        }
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public ValueTask DisposeAsync()
    {
        Kill();
        _process.Dispose();
        try
        {
            Directory.Delete(_dataFolder, recursive: true);
        }
        catch (IOException)
        {
        }

        return ValueTask.CompletedTask;
    }
}
