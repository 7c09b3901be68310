using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Studio.Infrastructure.Persistence;

/// <summary>
/// Applies pending migrations of the configured provider at startup. On SQLite it also switches the file to
/// write-ahead logging, so that readers (pages, API) never block the writers (job tracker, history sampler) and
/// writers wait for each other (busy timeout) instead of failing.
/// </summary>
/// <remarks>
/// Each provider has one baseline migration: the migrations written before the first release were squashed into it.
/// A database made by those older migrations records migration ids this build no longer has and would fail on the
/// baseline's first CREATE TABLE. A SQLite file (the embedded default) is then moved aside and created anew, with a
/// warning naming where the old file went; a PostgreSQL database is left alone and startup fails saying what to do.
/// On PostgreSQL, replicas starting together migrate one at a time under an advisory lock: the first applies what is
/// pending, the others wait and then find nothing to do, so every migration runs once.
/// </remarks>
public sealed class DatabaseMigrator(IDbContextFactory<StudioDbContext> factory, ILogger<DatabaseMigrator> logger)
{
    /// <summary>The advisory lock replicas hold while they migrate a PostgreSQL database ("STUDIOMG").</summary>
    public const long MigrationLockKey = 0x53545544494F4D47;

    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        // Closing this connection releases the lock.
        await using var migrationLock = await LockMigrationsAsync(cancellationToken);
        if (await UnknownAppliedMigrationsAsync(cancellationToken) is { Count: > 0 } unknown)
        {
            SetAsidePreBaselineDatabase(unknown);
        }

        await using var db = factory.CreateDbContext();
        var file = db.Database.IsSqlite() ? SqliteFile(db.Database.GetConnectionString()) : null;
        if (file is not null)
        {
            OwnerOnly(file, create: true);
        }

        var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
        if (pending.Count > 0)
        {
            logger.LogInformation("Applying {Count} migration(s) to the studio database ({Provider}): {Migrations}", pending.Count, db.Database.ProviderName, string.Join(", ", pending));
        }

        await db.Database.MigrateAsync(cancellationToken);
        if (db.Database.IsSqlite())
        {
            // Persistent in the database file; in-memory databases answer "memory" and keep working.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
        }

        if (file is not null)
        {
            OwnerOnly(file + "-wal", create: false);
            OwnerOnly(file + "-shm", create: false);
        }
    }

    /// <summary>
    /// The database file holds the cluster credentials (encrypted) and, unless a key-encryption certificate is set, the keys
    /// that decrypt them: only the studio's own user may read it (0600), from the moment it exists.
    /// </summary>
    private static void OwnerOnly(string file, bool create)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        const UnixFileMode Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        if (create && !File.Exists(file))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            try
            {
                // An empty file is an empty SQLite database; creating it here gives it its mode before anything is written.
                using var _ = new FileStream(file, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = Mode });
            }
            catch (IOException) when (File.Exists(file))
            {
                // Created meanwhile: its mode is set below.
            }
        }

        if (File.Exists(file) && File.GetUnixFileMode(file) != Mode)
        {
            File.SetUnixFileMode(file, Mode);
        }
    }

    /// <summary>On PostgreSQL: waits for, and holds, the migration lock on a connection of its own (null on SQLite).</summary>
    private async Task<NpgsqlConnection?> LockMigrationsAsync(CancellationToken cancellationToken)
    {
        string? connectionString;
        await using (var db = factory.CreateDbContext())
        {
            if (!db.Database.IsNpgsql())
            {
                return null;
            }

            connectionString = db.Database.GetConnectionString();
        }

        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false, ApplicationName = "studio-migrations" }.ToString());
        try
        {
            await connection.OpenAsync(cancellationToken);
            await using var command = new NpgsqlCommand($"SELECT pg_advisory_lock({MigrationLockKey})", connection) { CommandTimeout = 0 };
            await command.ExecuteNonQueryAsync(cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>Migrations recorded in the database that this build does not have (empty for a new database).</summary>
    private async Task<IReadOnlyList<string>> UnknownAppliedMigrationsAsync(CancellationToken cancellationToken)
    {
        await using var db = factory.CreateDbContext();
        var known = db.Database.GetMigrations().ToHashSet(StringComparer.Ordinal);
        var applied = await db.Database.GetAppliedMigrationsAsync(cancellationToken);
        return applied.Where(id => !known.Contains(id)).ToList();
    }

    private void SetAsidePreBaselineDatabase(IReadOnlyList<string> unknown)
    {
        string? connectionString;
        bool isSqlite;
        using (var db = factory.CreateDbContext())
        {
            connectionString = db.Database.GetConnectionString();
            isSqlite = db.Database.IsSqlite();
        }

        var described = string.Join(", ", unknown);
        var file = isSqlite ? SqliteFile(connectionString) : null;
        if (file is null)
        {
            throw new InvalidOperationException(
                $"The studio database was created by migrations this version no longer has ({described}): the migrations were squashed into one " +
                "baseline before the first release. Drop and recreate the database, or point Studio:Database:ConnectionString at an empty one; " +
                "the studio then creates its tables on startup.");
        }

        // Pooled connections would keep writing to the old file after the move: close them first.
        SqliteConnection.ClearPool(new SqliteConnection(connectionString));
        var aside = $"{file}.pre-baseline-{DateTime.UtcNow:yyyyMMddHHmmss}";
        foreach (var suffix in new[] { string.Empty, "-wal", "-shm" })
        {
            if (File.Exists(file + suffix))
            {
                File.Move(file + suffix, aside + suffix);
            }
        }

        logger.LogWarning(
            "The SQLite database {File} was created by migrations this version no longer has ({Migrations}): they were squashed into one baseline. " +
            "It was moved to {Aside} and a new, empty database is created in its place.",
            file, described, aside);
    }

    /// <summary>The full path of a file-backed SQLite database, or null for an in-memory one.</summary>
    private static string? SqliteFile(string? connectionString)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString);
        return builder.Mode == SqliteOpenMode.Memory || string.IsNullOrEmpty(builder.DataSource) || builder.DataSource == ":memory:"
            ? null
            : Path.GetFullPath(builder.DataSource);
    }
}
