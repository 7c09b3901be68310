using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;
using Studio.Infrastructure.Kubernetes.Inventory;
using Studio.Web.Live;
using Studio.Web.Security;

namespace Studio.Web.Hubs;

/// <summary>
/// <c>/hubs/live</c>: live status for external clients (wall displays, scripts). <see cref="Subscribe"/> a scope
/// (<c>cluster:sandbox</c>, <c>workspace:default</c>, <c>job:default/train-1</c>, <c>endpoint:default/score</c>) and the
/// hub calls <see cref="ILiveClient.Update"/> with a snapshot, then coalesced changes (about one batch per 100 ms).
/// Authorization is checked on every subscribe. A client that reconnects subscribes again and starts from a fresh
/// snapshot, so it misses nothing.
/// </summary>
[Authorize(Policy = Policies.SignedIn)]
public sealed class LiveHub(LiveAccess access, LiveSubscriptions subscriptions, InventoryRegistry inventories, LiveBroadcaster<NodeInfo> nodes, ClusterNodeFeed feed) : Hub<ILiveClient>
{
    /// <summary>Starts (or restarts, with a fresh snapshot) updates for a scope on this connection.</summary>
    public async Task Subscribe(string scope)
    {
        var target = await AuthorizeAsync(scope);
        await Groups.AddToGroupAsync(Context.ConnectionId, LivePublisher.Group(target.Scope), Context.ConnectionAborted);
        var started = await subscriptions.StartAsync(Context.ConnectionId, Context.User!.ToActor(), target, Context.ConnectionAborted);
        if (!started.IsSuccess)
        {
            await Groups.RemoveFromGroupAsync(Context.ConnectionId, LivePublisher.Group(target.Scope), Context.ConnectionAborted);
            throw new HubException(started.Errors[0].Message);
        }
    }

    /// <summary>Stops updates for a scope on this connection.</summary>
    public async Task Unsubscribe(string scope)
    {
        var parsed = LiveScope.Parse(scope);
        if (!parsed.IsSuccess)
        {
            throw new HubException(parsed.Errors[0].Message);
        }

        subscriptions.Stop(Context.ConnectionId, parsed.Value.ToString());
        await Groups.RemoveFromGroupAsync(Context.ConnectionId, LivePublisher.Group(parsed.Value), Context.ConnectionAborted);
    }

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        subscriptions.StopAll(Context.ConnectionId);
        return base.OnDisconnectedAsync(exception);
    }

    /// <summary>Nodes of a cluster as a stream: a snapshot batch, then coalesced changes (about one batch per 100 ms).</summary>
    public async IAsyncEnumerable<LiveBatch<NodeInfo>> WatchClusterNodes(string cluster, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var target = await AuthorizeAsync(LiveScope.Cluster(cluster).ToString());
        var lease = await inventories.AcquireAsync(target.Clusters[0], cancellationToken);
        if (!lease.IsSuccess)
        {
            throw new HubException(lease.Errors[0].Message);
        }

        using (lease.Value)
        {
            var inventory = lease.Value.Inventory;
            feed.Attach(inventory);
            await inventory.FirstSync.WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
            await foreach (var batch in nodes.SubscribeAsync(ClusterNodeFeed.Scope(inventory.ClusterId), () => ClusterNodeFeed.Snapshot(inventory), TimeSpan.FromMilliseconds(100), cancellationToken: cancellationToken))
            {
                yield return batch;
            }
        }
    }

    private async Task<LiveTarget> AuthorizeAsync(string scope)
    {
        var parsed = LiveScope.Parse(scope);
        if (!parsed.IsSuccess)
        {
            throw new HubException(parsed.Errors[0].Message);
        }

        var target = await access.AuthorizeAsync(Context.User!.ToActor(), parsed.Value, Context.ConnectionAborted);
        return target.IsSuccess ? target.Value : throw new HubException(target.Errors[0].Message);
    }
}
