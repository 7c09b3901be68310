using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Studio.Tests.Support;

namespace Studio.Infrastructure.Tests.Artifacts;

/// <summary>
/// A real storage server from npm on a free loopback port, in a fresh folder: Azurite's Blob service or s3rver
/// (<c>Artifacts/servers/package.json</c>). Ready once it accepts connections; killed and its folder deleted on dispose.
/// </summary>
public sealed class StorageServer : IAsyncDisposable
{
    private static readonly TimeSpan StartupLimit = TimeSpan.FromSeconds(60);
    private readonly Process _process;
    private readonly StringBuilder _output;

    private StorageServer(Process process, StringBuilder output, int port, string folder)
    {
        _process = process;
        _output = output;
        Port = port;
        Folder = folder;
    }

    public int Port { get; }

    public string Folder { get; }

    public static string PackagesFolder => Path.Combine(AppContext.BaseDirectory, "Artifacts", "servers");

    /// <summary>Azurite's Blob service (account <c>devstoreaccount1</c>, its well-known key).</summary>
    public static Task<StorageServer> AzuriteAsync(CancellationToken ct) => StartAsync(
        "azurite/dist/src/blob/main.js",
        (port, folder) => ["--blobHost", "127.0.0.1", "--blobPort", port, "--location", folder, "--silent", "--skipApiVersionCheck", "--loose"],
        ct);

    /// <summary>s3rver (access key and secret <c>S3RVER</c>), with a bucket <c>studio</c>.</summary>
    public static Task<StorageServer> S3rverAsync(CancellationToken ct) => StartAsync(
        "s3rver/bin/s3rver.js",
        (port, folder) => ["--address", "127.0.0.1", "--port", port, "--directory", folder, "--silent", "--configure-bucket", "studio"],
        ct);

    private static async Task<StorageServer> StartAsync(string script, Func<string, string, string[]> arguments, CancellationToken ct)
    {
        var packages = PackagesFolder;
        await NodePackages.EnsureInstalledAsync(packages, ct);
        var folder = Path.Combine(Path.GetTempPath(), "studio-storage-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(folder);
        var port = FreePort();
        var start = new ProcessStartInfo("node") { WorkingDirectory = packages, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(packages, "node_modules", script));
        foreach (var argument in arguments(port.ToString(System.Globalization.CultureInfo.InvariantCulture), folder))
        {
            start.ArgumentList.Add(argument);
        }

        var process = NodePackages.Start(start, "node");
        var output = new StringBuilder();
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new StorageServer(process, output, port, folder);
        var deadline = DateTime.UtcNow + StartupLimit;
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                break;
            }

            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port, ct);
                return server;
            }
            catch (SocketException)
            {
                await Task.Delay(100, ct);
            }
        }

        await server.DisposeAsync();
        throw new InvalidOperationException($"{script} did not listen on port {port} within {StartupLimit.TotalSeconds} s.\n{Snapshot(output)}");
    }

    public string Output => Snapshot(_output);

    public async ValueTask DisposeAsync()
    {
        NodePackages.Kill(_process);
        await _process.WaitForExitAsync();
        _process.Dispose();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // A file still held by the exiting server; the temp folder is cleaned up later.
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static void Append(StringBuilder output, string? line)
    {
        if (line is not null)
        {
            lock (output)
            {
                output.AppendLine(line);
            }
        }
    }

    private static string Snapshot(StringBuilder output)
    {
        lock (output)
        {
            return output.ToString();
        }
    }
}
