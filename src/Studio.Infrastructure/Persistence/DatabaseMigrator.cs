using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Studio.Infrastructure.Persistence;

/// <summary>Applies pending migrations of the configured provider at startup.</summary>
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
            // Pages read while the job tracker writes: write-ahead logging lets readers and the one writer work at the same
            // time (and a commit costs one fsync instead of several). The mode is kept in the database file.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
        }
    }
}
