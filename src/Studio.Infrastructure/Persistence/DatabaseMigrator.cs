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
    }
}
