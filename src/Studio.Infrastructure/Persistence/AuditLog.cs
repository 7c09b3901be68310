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

    public async Task<string> ProviderNameAsync(CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        await Task.CompletedTask.WaitAsync(cancellationToken);
        return db.Database.ProviderName ?? "unknown";
    }
}
