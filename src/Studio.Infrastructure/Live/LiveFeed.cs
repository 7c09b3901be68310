using Microsoft.Extensions.Options;
using Studio.Domain.Common;
using Studio.Domain.Workspaces;
using Studio.Infrastructure.Kubernetes.Inventory;

namespace Studio.Infrastructure.Live;

/// <summary>
/// The live module's one entry point: <c>subscribe(scope) → (snapshot, stream of coalesced batches)</c>
/// (<see cref="LiveStream{T}"/>), on one broadcaster fed by the shared informers (<see cref="LiveFeeds"/>) and by job
/// record changes (<see cref="LiveJobFeed"/>), plus the derived per-cluster view (<see cref="LiveClusterViews"/>). Pages
/// subscribe through <c>LiveComponent</c>; the SignalR hub is one more subscriber (its shared pumps open a
/// <see cref="LiveSource"/> per scope).
/// </summary>
public sealed class LiveFeed(
    LiveBroadcaster<LiveObject> broadcaster,
    LiveFeeds feeds,
    InventoryRegistry inventories,
    LiveSnapshots snapshots,
    LiveAccess access,
    LiveClusterViews views,
    IOptions<LiveOptions> options,
    LiveMetrics metrics)
{
    public LiveOptions Options => options.Value;

    /// <summary>Whether <paramref name="actor"/> may follow <paramref name="scope"/>, resolved to what feeds it.</summary>
    public Task<Result<LiveTarget>> AuthorizeAsync(Actor actor, LiveScope scope, CancellationToken cancellationToken) =>
        access.AuthorizeAsync(actor, scope, cancellationToken);

    /// <summary>
    /// Follows an authorized scope: its snapshot (nodes, pods, job records), then its changes coalesced to at most one
    /// batch per <paramref name="window"/> (default <see cref="LiveOptions.BatchWindow"/>).
    /// </summary>
    public async Task<Result<LiveStream<LiveObject>>> SubscribeAsync(LiveTarget target, TimeSpan? window, CancellationToken cancellationToken)
    {
        var source = await OpenAsync(target, cancellationToken);
        if (!source.IsSuccess)
        {
            return Result<LiveStream<LiveObject>>.Failure(source.Errors);
        }

        metrics.Subscribed();
        var every = window ?? Options.BatchWindow;
        return await LiveStream<LiveObject>.OpenAsync(
            token => broadcaster.SubscribeAsync(target.Keys, source.Value.Snapshot, every, target.Includes, Options.SubscriberCapacity, token),
            () =>
            {
                source.Value.Dispose();
                metrics.Unsubscribed();
            },
            cancellationToken);
    }

    /// <summary>Follows the shared view of a cluster (holding its inventory while the stream is open), or says why not.</summary>
    public async Task<Result<LiveStream<LiveClusterView>>> SubscribeClusterViewAsync(Guid clusterId, CancellationToken cancellationToken)
    {
        var lease = await inventories.AcquireAsync(clusterId, cancellationToken);
        if (!lease.IsSuccess)
        {
            return Result<LiveStream<LiveClusterView>>.Failure(lease.Errors);
        }

        try
        {
            return await views.SubscribeAsync(lease.Value.Inventory, lease.Value.Dispose, cancellationToken);
        }
        catch
        {
            lease.Value.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Opens what feeds a target — leases on its clusters' inventories, their informers attached to the broadcaster, the
    /// first list awaited (at most <see cref="LiveOptions.FirstSyncWait"/>) — for a subscriber that takes its own
    /// snapshots and batches (the hub's shared pump). Dispose it to release the inventories.
    /// </summary>
    public async Task<Result<LiveSource>> OpenAsync(LiveTarget target, CancellationToken cancellationToken)
    {
        var leases = new List<InventoryLease>();
        try
        {
            foreach (var cluster in target.Clusters)
            {
                var lease = await inventories.AcquireAsync(cluster, cancellationToken);
                if (!lease.IsSuccess)
                {
                    leases.ForEach(l => l.Dispose());
                    return Result<LiveSource>.Failure(lease.Errors);
                }

                leases.Add(lease.Value);
                feeds.Attach(lease.Value.Inventory);
            }

            try
            {
                await Task.WhenAll(leases.Select(l => l.Inventory.FirstSync)).WaitAsync(Options.FirstSyncWait, cancellationToken);
            }
            catch (TimeoutException)
            {
                // Not reachable yet: send what there is; the first list resyncs every subscriber.
            }
        }
        catch (OperationCanceledException)
        {
            leases.ForEach(l => l.Dispose());
            throw;
        }

        return new LiveSource(target, leases, snapshots);
    }

    /// <summary>
    /// Every job record change of this replica, as soon as it is published (no window; its first batch is an empty
    /// snapshot): for relays that forward changes, such as the hub's backplane relay. Cancel to unsubscribe.
    /// </summary>
    public IAsyncEnumerable<LiveBatch<LiveObject>> JobChangesAsync(CancellationToken cancellationToken) =>
        broadcaster.SubscribeAsync(LiveFeeds.AllJobsKey, () => [], TimeSpan.Zero, Options.SubscriberCapacity, cancellationToken);

    /// <summary>Opens a subscriber's buffer on the target's informer keys (see <see cref="LiveBroadcaster{T}.Open"/>).</summary>
    public LiveSubscription<LiveObject> OpenBuffer(IReadOnlyCollection<string> keys, Func<LiveChange<LiveObject>, bool>? filter) =>
        broadcaster.Open(keys, filter, Options.SubscriberCapacity);
}
