using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Studio.Infrastructure.Persistence;

/// <summary>Ready when the studio database answers a query.</summary>
internal sealed class DatabaseHealthCheck(IDbContextFactory<StudioDbContext> factory) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var db = factory.CreateDbContext();
            _ = await db.Workspaces.AnyAsync(cancellationToken);
            return HealthCheckResult.Healthy($"{db.Database.ProviderName} answered.");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy("The studio database does not answer.", ex);
        }
    }
}
