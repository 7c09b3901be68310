using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;
using Studio.Infrastructure.Clusters;
using Studio.Infrastructure.Kubernetes.Inventory;
using Studio.Web.Live;
using Studio.Web.Security;

namespace Studio.Web.Hubs;

/// <summary>
/// <c>/hubs/live</c>: live status for external clients (wall displays, scripts). A second subscriber to the same
/// in-process broadcaster the pages use; every subscription is authorized. Streams start with a snapshot, so a client
/// that reconnects and subscribes again misses nothing.
/// </summary>
[Authorize(Policy = Policies.SignedIn)]
public sealed class LiveHub(ClusterService clusters, InventoryRegistry inventories, LiveBroadcaster<NodeInfo> broadcaster, ClusterNodeFeed feed) : Hub
{
    /// <summary>Nodes of a cluster: a snapshot batch, then coalesced changes (about one batch per 100 ms).</summary>
    [Authorize(Policy = Policies.SignedIn)]
    public async IAsyncEnumerable<LiveBatch<NodeInfo>> WatchClusterNodes(string cluster, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var found = await clusters.GetAsync(cluster, cancellationToken);
        if (!found.IsSuccess)
        {
            throw new HubException(found.Errors[0].Message);
        }

        var lease = await inventories.AcquireAsync(found.Value.Id, cancellationToken);
        if (!lease.IsSuccess)
        {
            throw new HubException(lease.Errors[0].Message);
        }

        using (lease.Value)
        {
            var inventory = lease.Value.Inventory;
            feed.Attach(inventory);
            await inventory.FirstSync.WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
            await foreach (var batch in broadcaster.SubscribeAsync(ClusterNodeFeed.Scope(found.Value.Id), () => ClusterNodeFeed.Snapshot(inventory), TimeSpan.FromMilliseconds(100), cancellationToken: cancellationToken))
            {
                yield return batch;
            }
        }
    }
}
