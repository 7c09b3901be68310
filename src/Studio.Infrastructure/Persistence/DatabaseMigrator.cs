using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Studio.Infrastructure.Persistence;

/// <summary>
/// Applies pending migrations of the configured provider at startup. On SQLite it also switches the file to
/// write-ahead logging, so that readers (pages, API) never block the writers (job tracker, history sampler) and
/// writers wait for each other (busy timeout) instead of failing.
/// </summary>
public sealed class DatabaseMigrator(IDbContextFactory<StudioDbContext> factory, ILogger<DatabaseMigrator> logger)
{
    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        await using var db = factory.CreateDbContext();
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
    }
}
