using Microsoft.EntityFrameworkCore;
using Studio.Domain.Common;
using Studio.Domain.Workspaces;
using Studio.Infrastructure.Clusters;
using Studio.Infrastructure.Persistence;

namespace Studio.Web.Live;

/// <summary>
/// Who may watch a scope, checked on every subscribe: a cluster — administrators, and members of a workspace with a
/// compute target on it; a workspace, its jobs and endpoints — members of that workspace (to anyone else the workspace
/// does not exist, as in the API).
/// </summary>
public sealed class LiveAccess(IDbContextFactory<StudioDbContext> contexts, ClusterService clusters)
{
    public async Task<Result<LiveTarget>> AuthorizeAsync(Actor actor, LiveScope scope, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        if (scope.Kind == LiveScopeKind.Cluster)
        {
            var cluster = await clusters.GetAsync(scope.Name, cancellationToken);
            if (!cluster.IsSuccess)
            {
                return Result<LiveTarget>.Failure(cluster.Errors);
            }

            if (!actor.IsAdministrator)
            {
                var id = cluster.Value.Id;
                var workspaces = await db.Workspaces.AsNoTracking().ToListAsync(cancellationToken);
                if (!workspaces.Any(w => actor.RoleIn(w) is not null && w.ComputeTargets.Any(t => t.ClusterId == id)))
                {
                    return Error.Forbidden($"Only administrators and members of a workspace with compute on cluster '{scope.Name}' can watch it.");
                }
            }

            return new LiveTarget(scope, [cluster.Value.Id], []);
        }

        var normalized = scope.Name.ToLowerInvariant();
        var workspace = await db.Workspaces.AsNoTracking().FirstOrDefaultAsync(w => w.NormalizedName == normalized, cancellationToken);
        if (WorkspaceAccess.Check(actor, workspace, scope.Name, WorkspaceRole.Reader) is { } denied)
        {
            return denied;
        }

        var targets = workspace!.ComputeTargets.Select(t => (t.ClusterId, t.Namespace)).Distinct().ToList();
        return new LiveTarget(scope with { Name = workspace.Name }, [.. targets.Select(t => t.ClusterId).Distinct()], targets);
    }
}
