using Microsoft.EntityFrameworkCore;
using Studio.Domain.Workspaces;
using Studio.Infrastructure.Persistence;

namespace Studio.Infrastructure.Monitoring;

/// <summary>
/// The job records of a cluster that a person may see (workspaces where they have a role), as the monitoring workload
/// panels need them: one indexed query of slim columns.
/// </summary>
public sealed class WorkloadQuery(IDbContextFactory<StudioDbContext> contexts)
{
    /// <summary>Jobs on <paramref name="clusterId"/> created since <paramref name="from"/>, still running, or ended since then.</summary>
    public async Task<IReadOnlyList<WorkloadJob>> JobsAsync(Actor actor, Guid clusterId, DateTimeOffset from, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var workspaces = (await db.Workspaces.AsNoTracking().ToListAsync(cancellationToken))
            .Where(w => actor.RoleIn(w) is not null)
            .ToDictionary(w => w.Id, w => w.Name);
        var ids = workspaces.Keys.ToList();
        var rows = await db.Jobs.AsNoTracking()
            .Where(j => j.ClusterId == clusterId && ids.Contains(j.WorkspaceId) && (j.CreatedAt >= from || j.EndedAt == null || j.EndedAt >= from))
            .Select(j => new { j.WorkspaceId, j.Compute, j.State, j.Reason, j.CreatedAt, j.StartedAt, j.EndedAt })
            .ToListAsync(cancellationToken);
        return [.. rows.Select(r => new WorkloadJob(workspaces[r.WorkspaceId], r.Compute, r.State, r.Reason, r.CreatedAt, r.StartedAt, r.EndedAt))];
    }
}
