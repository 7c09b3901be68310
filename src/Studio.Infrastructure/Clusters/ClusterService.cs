using Microsoft.EntityFrameworkCore;
using Studio.Domain.Clusters;
using Studio.Domain.Common;
using Studio.Infrastructure.Persistence;
using Studio.Infrastructure.Persistence.Repositories;

namespace Studio.Infrastructure.Clusters;

/// <summary>Application service for registered clusters.</summary>
public sealed class ClusterService(IDbContextFactory<StudioDbContext> contexts, TimeProvider clock)
{
    public async Task<IReadOnlyList<ClusterSummary>> ListAsync(CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        var clusters = await new ClusterRepository(db).ListAsync(cancellationToken);
        var workspaces = await db.Workspaces.AsNoTracking().ToListAsync(cancellationToken);
        var attachments = workspaces.SelectMany(w => w.ComputeTargets.Select(c => new { c.ClusterId, Workspace = w.Name })).ToList();
        return [.. clusters.Select(c => new ClusterSummary(
            c.Name,
            c.Kind,
            c.Server,
            c.RegisteredAt,
            [.. attachments.Where(a => a.ClusterId == c.Id).Select(a => a.Workspace).Distinct()]))];
    }

    /// <summary>Registers the cluster, or points an existing registration of that name at <paramref name="server"/>.</summary>
    public async Task<Result<ClusterSummary>> RegisterOrUpdateAsync(string name, ClusterKind kind, string server, CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        var repository = new ClusterRepository(db);
        var existing = await repository.FindByNameAsync(name, cancellationToken);
        if (existing is null)
        {
            var registered = Cluster.Register(name, kind, server, clock.GetUtcNow());
            if (!registered.IsSuccess)
            {
                return Result<ClusterSummary>.Failure(registered.Errors);
            }

            existing = registered.Value;
            repository.Add(existing);
        }
        else
        {
            existing.MoveTo(server);
        }

        await repository.SaveChangesAsync(cancellationToken);
        return new ClusterSummary(existing.Name, existing.Kind, existing.Server, existing.RegisteredAt, []);
    }
}
