using System.Collections.Concurrent;
using Microsoft.AspNetCore.SignalR;
using Studio.Domain.Common;
using Studio.Domain.Workspaces;
using Studio.Infrastructure.Kubernetes.Inventory;
using Studio.Web.Hubs;

namespace Studio.Web.Live;

/// <summary>
/// The hub's subscriptions: per (connection, scope) one pump from the in-process broadcaster to that connection, holding
/// leases on the clusters' shared inventories while it runs. Subscribing again replaces the pump, so a client that
/// reconnects (new connection) or resubscribes starts with a fresh snapshot. A slow connection only slows its own pump:
/// its broadcaster buffer overflows and it gets a snapshot when it catches up.
/// </summary>
public sealed class LiveSubscriptions(
    LiveBroadcaster<LiveObject> broadcaster,
    LiveFeeds feeds,
    InventoryRegistry inventories,
    LiveSnapshots snapshots,
    LiveAccess access,
    IHubContext<LiveHub, ILiveClient> hub,
    ILogger<LiveSubscriptions> logger)
{
    private readonly ConcurrentDictionary<(string Connection, string Scope), CancellationTokenSource> _pumps = new();

    /// <summary>Batching window of hub updates.</summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>How long a subscribe waits for a cluster's first list before sending what it has.</summary>
    public TimeSpan FirstSyncWait { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How often a running subscription's authorization is checked again (membership removed → it ends).</summary>
    public TimeSpan RecheckInterval { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Active subscriptions (diagnostics, tests).</summary>
    public int Count => _pumps.Count;

    public async Task<Result> StartAsync(string connectionId, Actor actor, LiveTarget target, CancellationToken cancellationToken)
    {
        var leases = new List<InventoryLease>();
        foreach (var cluster in target.Clusters)
        {
            var lease = await inventories.AcquireAsync(cluster, cancellationToken);
            if (!lease.IsSuccess)
            {
                leases.ForEach(l => l.Dispose());
                return Result.Failure(lease.Errors);
            }

            leases.Add(lease.Value);
            feeds.Attach(lease.Value.Inventory);
        }

        try
        {
            await Task.WhenAll(leases.Select(l => l.Inventory.FirstSync)).WaitAsync(FirstSyncWait, cancellationToken);
        }
        catch (TimeoutException)
        {
            // Not reachable yet: send what there is; the first list resyncs every subscriber.
        }

        var stop = new CancellationTokenSource();
        var key = (connectionId, target.Scope.ToString());
        _pumps.AddOrUpdate(key, stop, (_, old) =>
        {
            old.Cancel();
            return stop;
        });
        var byCluster = leases.ToDictionary(l => l.Inventory.ClusterId, l => l.Inventory);
        _ = PumpAsync(connectionId, target, byCluster, leases, key, stop);
        _ = RecheckAsync(connectionId, actor, target.Scope, stop);
        return Result.Success();
    }

    public void Stop(string connectionId, string scope)
    {
        if (_pumps.TryRemove((connectionId, scope), out var stop))
        {
            stop.Cancel();
        }
    }

    public void StopAll(string connectionId)
    {
        foreach (var key in _pumps.Keys.Where(k => k.Connection == connectionId).ToList())
        {
            Stop(key.Connection, key.Scope);
        }
    }

    private async Task RecheckAsync(string connectionId, Actor actor, LiveScope scope, CancellationTokenSource stop)
    {
        try
        {
            var token = stop.Token;
            while (true)
            {
                await Task.Delay(RecheckInterval, token);
                var still = await access.AuthorizeAsync(actor, scope, token);
                if (!still.IsSuccess)
                {
                    logger.LogInformation("Live subscription {Scope} of {User} ended: {Reason}", scope, actor.UserId, still.Errors[0].Message);
                    Stop(connectionId, scope.ToString());
                    await hub.Groups.RemoveFromGroupAsync(connectionId, LivePublisher.Group(scope), CancellationToken.None);
                    await hub.Clients.Client(connectionId).Ended(scope.ToString(), still.Errors[0].Message);
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (ObjectDisposedException)
        {
            // The subscription ended meanwhile.
        }
    }

    private async Task PumpAsync(
        string connectionId,
        LiveTarget target,
        IReadOnlyDictionary<Guid, ClusterInventory> inventoriesById,
        List<InventoryLease> leases,
        (string, string) key,
        CancellationTokenSource stop)
    {
        var scope = target.Scope.ToString();
        try
        {
            await Task.Yield();
            await foreach (var batch in broadcaster.SubscribeAsync(target.Keys, () => snapshots.Take(target, inventoriesById), Window, target.Includes, cancellationToken: stop.Token))
            {
                await hub.Clients.Client(connectionId).Update(new LiveUpdate(scope, batch.IsSnapshot, batch.Changes));
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Live subscription {Scope} of connection {Connection} stopped", scope, connectionId);
        }
        finally
        {
            _pumps.TryRemove(new KeyValuePair<(string, string), CancellationTokenSource>(key, stop));
            leases.ForEach(l => l.Dispose());
            stop.Dispose();
        }
    }
}
