using Microsoft.EntityFrameworkCore;

namespace Studio.Infrastructure.Persistence;

/// <summary>Reads the audit trail, newest first.</summary>
public sealed class AuditLog(IDbContextFactory<StudioDbContext> contexts)
{
    public async Task<IReadOnlyList<AuditEntry>> RecentAsync(int count, CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        return await db.AuditEntries.AsNoTracking().OrderByDescending(a => a.Id).Take(count).ToListAsync(cancellationToken);
    }

    /// <summary>The database provider in use, e.g. Microsoft.EntityFrameworkCore.Sqlite.</summary>
    public string ProviderName()
    {
        using var db = contexts.CreateDbContext();
        return db.Database.ProviderName ?? "unknown";
    }
}
