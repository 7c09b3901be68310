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
    /// <summary>The ids of the clusters <paramref name="actor"/> sees; null when they see every cluster.</summary>
    public async Task<IReadOnlySet<Guid>?> VisibleClustersAsync(Actor actor, CancellationToken cancellationToken)
    {
        if (actor.IsAdministrator)
        {
            return null;
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var workspaces = await db.Workspaces.AsNoTracking().ToListAsync(cancellationToken);
        return workspaces
            .Where(w => actor.RoleIn(w) is not null)
            .SelectMany(w => w.ComputeTargets)
            .Select(t => t.ClusterId)
            .ToHashSet();
    }

    /// <summary>Whether a cluster is in a set from <see cref="VisibleClustersAsync"/>.</summary>
    public static bool Sees(IReadOnlySet<Guid>? visible, Guid clusterId) => visible is null || visible.Contains(clusterId);
}
