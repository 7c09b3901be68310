using Microsoft.EntityFrameworkCore;
using Studio.Domain.Common;
using Studio.Domain.Workspaces;
using Studio.Infrastructure.Clusters;
using Studio.Infrastructure.Persistence;

namespace Studio.Infrastructure.Live;

/// <summary>
/// Who may watch a scope, checked on every subscribe: a cluster — whoever sees it (<see cref="ClusterVisibility"/>:
/// administrators, and members of a workspace with a compute target on it); a workspace, its jobs and endpoints — members of that workspace (to anyone else the workspace
/// does not exist, as in the API).
/// </summary>
public sealed class LiveAccess(IDbContextFactory<StudioDbContext> contexts, ClusterService clusters, ClusterVisibility visibility)
{
    public async Task<Result<LiveTarget>> AuthorizeAsync(Actor actor, LiveScope scope, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        if (scope.Kind == LiveScopeKind.Cluster)
        {
            // The one cluster rule (ClusterVisibility): a cluster the actor does not see is not found, as in the API.
            // Administrators get every pod; anyone else the nodes and the pods of their own workspaces' namespaces on it.
            var cluster = await clusters.GetAsync(actor, scope.Name, cancellationToken);
            if (!cluster.IsSuccess)
            {
                return Result<LiveTarget>.Failure(cluster.Errors);
            }

            if (actor.IsAdministrator)
            {
                return new LiveTarget(scope, [cluster.Value.Id], []) { EveryNamespace = true };
            }

            var id = cluster.Value.Id;
            var own = (await db.Workspaces.AsNoTracking().ToListAsync(cancellationToken))
                .Where(w => actor.RoleIn(w) is not null)
                .SelectMany(w => w.ComputeTargets)
                .Where(t => t.ClusterId == id)
                .Select(t => (id, t.Namespace))
                .Distinct()
                .ToList();
            return new LiveTarget(scope, [id], own);
        }

        var normalized = scope.Name.ToLowerInvariant();
        var workspace = await db.Workspaces.AsNoTracking().FirstOrDefaultAsync(w => w.NormalizedName == normalized, cancellationToken);
        if (WorkspaceAccess.Check(actor, workspace, scope.Name, WorkspaceRole.Reader) is { } denied)
        {
            return denied;
        }

        var targets = workspace!.ComputeTargets.Select(t => (t.ClusterId, t.Namespace)).Distinct().ToList();
        string? objectName = null;
        if (scope.Kind == LiveScopeKind.Job)
        {
            // Pods carry the Kubernetes name of their Job, unique per namespace (the job's name plus its workspace's suffix).
            var id = workspace.Id;
            objectName = await db.Jobs.AsNoTracking().Where(j => j.WorkspaceId == id && j.Name == scope.Item).Select(j => j.KubernetesName).FirstOrDefaultAsync(cancellationToken);
        }

        return new LiveTarget(scope with { Name = workspace.Name }, [.. targets.Select(t => t.ClusterId).Distinct()], targets) { JobObjectName = objectName };
    }

    /// <summary>
    /// The clusters the actor may watch (null: all — an administrator), for each namespace of the cluster's compute
    /// targets the workspace using it (names of workspaces the actor is not a member of are not disclosed), and the
    /// workspaces the actor may see.
    /// </summary>
    public async Task<LiveVisibility> VisibilityAsync(Actor actor, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var workspaces = await db.Workspaces.AsNoTracking().ToListAsync(cancellationToken);
        var owners = new Dictionary<(Guid, string), string>();
        var mine = new List<string>();
        foreach (var workspace in workspaces)
        {
            var member = actor.RoleIn(workspace) is not null;
            if (member)
            {
                mine.Add(workspace.Name);
            }

            foreach (var target in workspace.ComputeTargets)
            {
                owners[(target.ClusterId, target.Namespace)] = member ? workspace.Name : "another workspace";
            }
        }

        return new LiveVisibility((await visibility.SightAsync(actor, cancellationToken)).Clusters, owners, mine);
    }
}
