using Microsoft.EntityFrameworkCore;
using Studio.Infrastructure.Persistence;

namespace Studio.Infrastructure.Live;

/// <summary>
/// Job records in workspace and job snapshots: a job scope gets its job; a workspace scope its unfinished jobs and those
/// that ended in the last 24 hours (at most 500, newest first).
/// </summary>
public sealed class JobSnapshotSource(IDbContextFactory<StudioDbContext> contexts, TimeProvider clock) : ILiveSnapshotSource
{
    public IEnumerable<LiveChange<LiveObject>> Snapshot(LiveScope scope)
    {
        if (scope.Kind is not (LiveScopeKind.Workspace or LiveScopeKind.Job))
        {
            return [];
        }

        using var db = contexts.CreateDbContext();
        var normalized = scope.Name.ToLowerInvariant();
        var workspaceId = db.Workspaces.AsNoTracking().Where(w => w.NormalizedName == normalized).Select(w => (Guid?)w.Id).FirstOrDefault();
        if (workspaceId is null)
        {
            return [];
        }

        var query = db.Jobs.AsNoTracking().Where(j => j.WorkspaceId == workspaceId);
        if (scope.Kind == LiveScopeKind.Job)
        {
            query = query.Where(j => j.Name == scope.Item);
        }
        else
        {
            var since = clock.GetUtcNow().AddDays(-1);
            query = query.Where(j => j.EndedAt == null || j.EndedAt >= since);
        }

        var rows = query
            .OrderByDescending(j => j.CreatedAt)
            .Take(500)
            .Select(j => new { j.Name, j.Compute, j.State, j.CreatedAt, j.StartedAt, j.EndedAt, j.Reason })
            .ToList();
        return [.. rows.Select(j => new LiveChange<LiveObject>(
            ChangeKind.Upsert,
            LiveObject.JobKey(scope.Name, j.Name),
            new LiveObject(Job: new LiveJob(scope.Name, j.Name, j.Compute, j.State.ToString(), j.CreatedAt, j.StartedAt, j.EndedAt, j.Reason))))];
    }
}
