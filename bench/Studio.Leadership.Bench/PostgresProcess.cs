using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Studio.Leadership.Bench;

/// <summary>A throwaway PostgreSQL cluster from Debian's binaries (initdb + pg_ctl; as the postgres user when root).</summary>
internal sealed class PostgresProcess : IAsyncDisposable
{
    private readonly string _bin;
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "studio-bench-pg-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly bool _asPostgres = Environment.UserName == "root";

    private PostgresProcess(string bin) => _bin = bin;

    public string ConnectionString { get; private set; } = string.Empty;

    public static async Task<PostgresProcess> StartAsync()
    {
        var bin = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin")).FirstOrDefault(d => File.Exists(Path.Combine(d, "initdb")))
            : null;
        var server = new PostgresProcess(bin ?? throw new InvalidOperationException("PostgreSQL binaries not found: install Debian's 'postgresql' or pass --postgres CONNECTION_STRING."));
        Directory.CreateDirectory(server._dir);
        if (server._asPostgres)
        {
            await RunAsync("chown", $"postgres:postgres {server._dir}", false);
        }

        int port;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        await RunAsync(Path.Combine(bin, "initdb"), $"-D {server._dir}/data -U postgres --auth=trust -E UTF8 --no-sync", server._asPostgres);
        await RunAsync(Path.Combine(bin, "pg_ctl"), $"-D {server._dir}/data -l {server._dir}/log -w -t 60 -o \"-p {port} -k {server._dir} -c listen_addresses=127.0.0.1\" start", server._asPostgres);
        server.ConnectionString = $"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres";
        return server;
    }

    private static async Task RunAsync(string file, string arguments, bool asPostgres)
    {
        var start = asPostgres ? new ProcessStartInfo("runuser", $"-u postgres -- {file} {arguments}") : new ProcessStartInfo(file, arguments);
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.WorkingDirectory = Path.GetTempPath();
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {arguments}: {await output}{await error}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        await RunAsync(Path.Combine(_bin, "pg_ctl"), $"-D {_dir}/data -m immediate -w stop", _asPostgres);
        Directory.Delete(_dir, recursive: true);
    }
}
