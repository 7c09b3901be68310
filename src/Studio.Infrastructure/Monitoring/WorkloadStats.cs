using Microsoft.EntityFrameworkCore;
using Studio.Domain.Jobs;
using Studio.Domain.Workspaces;
using Studio.Infrastructure.Persistence;

namespace Studio.Infrastructure.Monitoring;

/// <summary>
/// Workload figures from the job records of a cluster, limited to the workspaces the person may see: jobs by state,
/// queue length and time in queue per compute target, failures by reason. One indexed query of slim columns.
/// </summary>
public sealed class WorkloadStats(IDbContextFactory<StudioDbContext> contexts, TimeProvider clock)
{
    public async Task<WorkloadView> LoadAsync(Actor actor, Guid clusterId, TimeSpan range, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var workspaces = (await db.Workspaces.AsNoTracking().ToListAsync(cancellationToken))
            .Where(w => actor.RoleIn(w) is not null)
            .ToDictionary(w => w.Id, w => w.Name);
        var ids = workspaces.Keys.ToList();
        var now = clock.GetUtcNow();
        var from = now - range;
        var rows = await db.Jobs.AsNoTracking()
            .Where(j => j.ClusterId == clusterId && ids.Contains(j.WorkspaceId) && (j.CreatedAt >= from || j.EndedAt == null || j.EndedAt >= from))
            .Select(j => new { j.WorkspaceId, j.Compute, j.State, j.Reason, j.CreatedAt, j.StartedAt, j.EndedAt })
            .ToListAsync(cancellationToken);
        return Build(rows.Select(r => new JobFacts(workspaces[r.WorkspaceId], r.Compute, r.State.ToString(), r.Reason, r.CreatedAt, r.StartedAt, r.EndedAt)), now);
    }

    /// <summary>One job's facts as the panels need them.</summary>
    public sealed record JobFacts(string Workspace, string Compute, string State, string? Reason, DateTimeOffset CreatedAt, DateTimeOffset? StartedAt, DateTimeOffset? EndedAt);

    public static WorkloadView Build(IEnumerable<JobFacts> jobs, DateTimeOffset now)
    {
        var list = jobs.ToList();
        var byState = Enum.GetNames<JobState>().Select(s => (s, list.Count(j => j.State == s))).ToList();
        var queues = list
            .GroupBy(j => (j.Workspace, j.Compute))
            .Select(g =>
            {
                var waits = g.Select(j => j.StartedAt is { } started ? started - j.CreatedAt : j.State == nameof(JobState.Queued) ? now - j.CreatedAt : (TimeSpan?)null)
                    .Where(w => w is not null)
                    .Select(w => w!.Value < TimeSpan.Zero ? TimeSpan.Zero : w.Value)
                    .Order()
                    .ToList();
                return new QueueRow(g.Key.Workspace, g.Key.Compute, g.Count(j => j.State == nameof(JobState.Queued)), Percentile(waits, 50), Percentile(waits, 90), waits.Count);
            })
            .OrderByDescending(q => q.QueuedNow)
            .ThenBy(q => q.Workspace, StringComparer.Ordinal)
            .ThenBy(q => q.Compute, StringComparer.Ordinal)
            .ToList();
        var failures = list
            .Where(j => j.State == nameof(JobState.Failed))
            .GroupBy(j => string.IsNullOrWhiteSpace(j.Reason) ? "Unknown" : j.Reason!)
            .Select(g => (g.Key, g.Count()))
            .OrderByDescending(f => f.Item2)
            .ThenBy(f => f.Key, StringComparer.Ordinal)
            .ToList();
        return new WorkloadView(list.Count, byState, queues, failures);
    }

    private static TimeSpan? Percentile(List<TimeSpan> sorted, int percentile) =>
        sorted.Count == 0 ? null : sorted[Math.Clamp((int)Math.Ceiling(percentile / 100.0 * sorted.Count) - 1, 0, sorted.Count - 1)];
}
