using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Studio.Tests.Support;

namespace Studio.E2E.Oidc;

/// <summary>
/// The loopback OpenID Connect provider (<c>Oidc/provider/server.mjs</c>, npm <c>oidc-provider</c>) as a child process.
/// Installs its npm packages from the committed lock file the first time (so a fresh CI machine needs only Node.js),
/// starts it on a free port, waits for its ready line, and kills it on dispose.
/// </summary>
public sealed class OidcProviderProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartupLimit = TimeSpan.FromSeconds(60);

    private readonly Process _process;
    private readonly StringBuilder _stderr;

    private OidcProviderProcess(Process process, StringBuilder stderr, Uri issuer)
    {
        _process = process;
        _stderr = stderr;
        Issuer = issuer;
    }

    /// <summary>The provider's issuer, e.g. <c>http://127.0.0.1:41234</c> (no trailing slash in the discovery document).</summary>
    public Uri Issuer { get; }

    /// <summary>What the provider wrote to stderr so far (warnings, server errors), for failure messages.</summary>
    public string ErrorOutput
    {
        get
        {
            lock (_stderr)
            {
                return _stderr.ToString();
            }
        }
    }

    /// <summary>The folder with server.mjs, copied next to the test assembly by the build.</summary>
    public static string ProviderFolder => Path.Combine(AppContext.BaseDirectory, "Oidc", "provider");

    public static async Task<OidcProviderProcess> StartAsync(CancellationToken cancellationToken = default)
    {
        var folder = ProviderFolder;
        await EnsurePackagesAsync(folder, cancellationToken);

        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("server.mjs");
        start.ArgumentList.Add("--port");
        start.ArgumentList.Add("0");

        var process = StartTool(start, "node");
        var stderr = new StringBuilder();
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (stderr)
                {
                    stderr.AppendLine(e.Data);
                }
            }
        };
        process.BeginErrorReadLine();

        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(StartupLimit);
            var line = await process.StandardOutput.ReadLineAsync(timeout.Token)
                ?? throw new InvalidOperationException($"The OIDC provider exited before it was ready (exit code {ExitCode(process)}).\n{Snapshot(stderr)}");
            using var ready = JsonDocument.Parse(line);
            var issuer = new Uri(ready.RootElement.GetProperty("issuer").GetString()!);

            // Keep draining stdout so the child never blocks on a full pipe.
            _ = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
            return new OidcProviderProcess(process, stderr, issuer);
        }
        catch (Exception e) when (e is OperationCanceledException or JsonException or KeyNotFoundException)
        {
            Kill(process);
            throw new InvalidOperationException($"The OIDC provider did not report ready within {StartupLimit.TotalSeconds} s.\n{Snapshot(stderr)}", e);
        }
        catch
        {
            Kill(process);
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        Kill(_process);
        await _process.WaitForExitAsync();
        _process.Dispose();
    }

    /// <summary>Runs <c>npm ci</c> when the provider's packages are not installed yet, or were installed from another lock file.</summary>
    private static Task EnsurePackagesAsync(string folder, CancellationToken cancellationToken) => NodePackages.EnsureInstalledAsync(folder, cancellationToken);

    private static Process StartTool(ProcessStartInfo start, string tool) => NodePackages.Start(start, tool);

    private static void Kill(Process process) => NodePackages.Kill(process);

    private static string ExitCode(Process process) => process.WaitForExit(5000) ? process.ExitCode.ToString(System.Globalization.CultureInfo.InvariantCulture) : "still running";

    private static string Snapshot(StringBuilder stderr)
    {
        lock (stderr)
        {
            return stderr.ToString();
        }
    }
}
