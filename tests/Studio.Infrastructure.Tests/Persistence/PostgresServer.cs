using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Studio.Infrastructure.Tests.Persistence;

/// <summary>
/// A real PostgreSQL server for the persistence tests: the one in <c>STUDIO_TEST_POSTGRES</c> when set, else a
/// throwaway cluster started from Debian's binaries (initdb + pg_ctl, as the postgres user when running as root).
/// </summary>
public sealed class PostgresServer : IAsyncLifetime
{
    private string? _dataDir;
    private string? _binDir;
    private bool _runAsPostgres;

    public string AdminConnectionString { get; private set; } = string.Empty;

    public async ValueTask InitializeAsync()
    {
        var configured = Environment.GetEnvironmentVariable("STUDIO_TEST_POSTGRES");
        if (!string.IsNullOrWhiteSpace(configured))
        {
            AdminConnectionString = configured;
            return;
        }

        _binDir = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin")).FirstOrDefault(d => File.Exists(Path.Combine(d, "initdb")))
            : null;
        if (_binDir is null)
        {
            throw new InvalidOperationException(
                "PostgreSQL is needed for the persistence tests: set STUDIO_TEST_POSTGRES to a connection string, or install Debian's 'postgresql' package (the README's test command does).");
        }

        _runAsPostgres = Environment.UserName == "root";
        _dataDir = Path.Combine(Path.GetTempPath(), "studio-pg-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(_dataDir);
        if (_runAsPostgres)
        {
            await RunAsync("chown", $"postgres:postgres {_dataDir}", asPostgres: false);
        }

        var port = FreePort();
        await RunAsync(Path.Combine(_binDir, "initdb"), $"-D {_dataDir}/data -U postgres --auth=trust -E UTF8 --no-sync", _runAsPostgres);
        await RunAsync(
            Path.Combine(_binDir, "pg_ctl"),
            $"-D {_dataDir}/data -l {_dataDir}/server.log -w -t 60 -o \"-p {port} -k {_dataDir} -c listen_addresses=127.0.0.1 -c fsync=off\" start",
            _runAsPostgres);
        AdminConnectionString = $"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres;Pooling=false";
    }

    /// <summary>Creates an empty database for one test and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = "studio_test_" + Guid.NewGuid().ToString("N")[..12];
        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
        await command.ExecuteNonQueryAsync();
        return new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = name, Pooling = false }.ToString();
    }

    public async ValueTask DisposeAsync()
    {
        if (_dataDir is null || _binDir is null)
        {
            return;
        }

        try
        {
            await RunAsync(Path.Combine(_binDir, "pg_ctl"), $"-D {_dataDir}/data -m immediate -w stop", _runAsPostgres);
        }
        finally
        {
            Directory.Delete(_dataDir, recursive: true);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task RunAsync(string file, string arguments, bool asPostgres)
    {
        var start = asPostgres
            ? new ProcessStartInfo("runuser", $"-u postgres -- {file} {arguments}")
            : new ProcessStartInfo(file, arguments);
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.WorkingDirectory = Path.GetTempPath();
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"'{file} {arguments}' failed ({process.ExitCode}): {await stdout}{await stderr}");
        }
    }
}
