using Studio.Infrastructure.Clusters;
using Studio.Infrastructure.Kubernetes.Inventory;

namespace Studio.Web.Api;

/// <summary>A cluster with its live snapshot (status since when, version, nodes, capacity, pools).</summary>
public sealed record ClusterView(ClusterSummary Cluster, ClusterSnapshot Live)
{
    /// <summary>Starts (or joins) the cluster's shared inventory briefly to read its snapshot.</summary>
    public static async Task<ClusterView> LoadAsync(ClusterSummary cluster, InventoryRegistry inventories, TimeProvider clock, bool wait, CancellationToken cancellationToken)
    {
        var lease = await inventories.AcquireAsync(cluster.Id, cancellationToken);
        if (!lease.IsSuccess)
        {
            return new ClusterView(cluster, ClusterSnapshot.Unreachable(lease.Errors[0].Message, clock.GetUtcNow()));
        }

        using (lease.Value)
        {
            try
            {
                await lease.Value.Inventory.FirstSync.WaitAsync(wait ? TimeSpan.FromSeconds(10) : TimeSpan.FromSeconds(2), cancellationToken);
            }
            catch (TimeoutException)
            {
                // Show what is known: Connecting, or Unreachable with the reason.
            }

            return new ClusterView(cluster, ClusterSnapshot.From(lease.Value.Inventory));
        }
    }
}
