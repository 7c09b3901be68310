using Microsoft.EntityFrameworkCore;
using Studio.Domain.Workspaces;
using Studio.Infrastructure.Persistence;

namespace Studio.Infrastructure.Clusters;

/// <summary>
/// The one rule for who sees a registered cluster, in the API, the pages and live scopes alike: administrators see every
/// cluster; anyone else sees a cluster only while a workspace they belong to has a compute target on it. To anyone else
/// the cluster does not exist (not found, never "forbidden"), as a workspace does not exist to a non-member.
/// </summary>
public sealed class ClusterVisibility(IDbContextFactory<StudioDbContext> contexts)
{
    /// <summary>
    /// What <paramref name="actor"/> sees of clusters: which clusters (null: all), and which workspaces' compute targets
    /// on them (null: all). A member sees the cluster and their own workspaces' compute targets; the other workspaces
    /// on it stay unnamed.
    /// </summary>
    public async Task<ClusterSight> SightAsync(Actor actor, CancellationToken cancellationToken)
    {
        if (actor.IsAdministrator)
        {
            return new ClusterSight(null, null);
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var mine = (await db.Workspaces.AsNoTracking().ToListAsync(cancellationToken)).Where(w => actor.RoleIn(w) is not null).ToList();
        return new ClusterSight(
            mine.SelectMany(w => w.ComputeTargets).Select(t => t.ClusterId).ToHashSet(),
            mine.Select(w => w.Name).ToHashSet(StringComparer.OrdinalIgnoreCase));
    }

    /// <summary>
    /// The namespaces of <paramref name="clusterId"/> whose pods <paramref name="actor"/> may not see by name: those of
    /// other workspaces' compute targets (empty for administrators). Namespaces no workspace uses (the system's, the
    /// extension's) stay visible to whoever sees the cluster, as its nodes do.
    /// </summary>
    public async Task<IReadOnlySet<string>> HiddenNamespacesAsync(Actor actor, Guid clusterId, CancellationToken cancellationToken)
    {
        if (actor.IsAdministrator)
        {
            return new HashSet<string>(StringComparer.Ordinal);
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var workspaces = await db.Workspaces.AsNoTracking().ToListAsync(cancellationToken);
        var on = workspaces.SelectMany(w => w.ComputeTargets.Where(t => t.ClusterId == clusterId).Select(t => (Mine: actor.RoleIn(w) is not null, t.Namespace))).ToList();
        var mine = on.Where(t => t.Mine).Select(t => t.Namespace).ToHashSet(StringComparer.Ordinal);
        return on.Where(t => !t.Mine && !mine.Contains(t.Namespace)).Select(t => t.Namespace).ToHashSet(StringComparer.Ordinal);
    }
}

/// <summary>What one person sees of clusters (<see cref="ClusterVisibility"/>); null sets mean everything.</summary>
public sealed record ClusterSight(IReadOnlySet<Guid>? Clusters, IReadOnlySet<string>? Workspaces)
{
    public bool Sees(Guid clusterId) => Clusters is null || Clusters.Contains(clusterId);

    /// <summary>The summary with only the workspaces (and their compute targets) this person belongs to.</summary>
    public ClusterSummary Redact(ClusterSummary cluster) => Workspaces is null
        ? cluster
        : cluster with
        {
            Workspaces = [.. cluster.Workspaces.Where(Workspaces.Contains)],
            ComputeTargets = [.. cluster.ComputeTargets.Where(t => Workspaces.Contains(t.Split('/')[0]))],
        };
}
