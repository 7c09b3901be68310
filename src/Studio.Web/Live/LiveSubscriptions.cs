using System.Collections.Concurrent;
using Microsoft.AspNetCore.SignalR;
using Studio.Domain.Common;
using Studio.Domain.Workspaces;
using Studio.Infrastructure.Kubernetes.Inventory;
using Studio.Web.Hubs;

namespace Studio.Web.Live;

/// <summary>
/// The hub's subscriptions. Subscribers to the same scope on this replica share one <see cref="LivePump"/>: one
/// broadcaster subscription, one coalescing window and one serialization per protocol, written as the same bytes to
/// every connection (through <see cref="LiveHubConnections"/>), holding leases on the clusters' shared inventories while
/// anyone subscribes. Authorization stays per subscribe (the hub asks <see cref="LiveAccess"/>) and is re-checked per
/// subscription. Subscribing again replaces the subscription, so a client that reconnects (new connection) or
/// resubscribes starts with a fresh snapshot. A connection whose writes do not keep up is skipped and gets a snapshot
/// when it has caught up; it never delays the others.
/// </summary>
public sealed class LiveSubscriptions(
    LiveBroadcaster<LiveObject> broadcaster,
    LiveFeeds feeds,
    InventoryRegistry inventories,
    LiveSnapshots snapshots,
    LiveAccess access,
    LiveHubConnections connections,
    IHubContext<LiveHub, ILiveClient> hub,
    ILogger<LiveSubscriptions> logger)
{
    private readonly ConcurrentDictionary<(string Connection, string Scope), Subscription> _subscriptions = new();
    private readonly Lock _pumpsGate = new();
    private readonly Dictionary<string, LivePump> _pumps = new(StringComparer.Ordinal);
    private readonly Lock _deliveriesGate = new();
    private (long Batches, TimeSpan Total, TimeSpan Longest) _deliveries;
    private long _serializations;
    private long _fellBehind;
    private long _catchUps;

    /// <summary>Batching window of hub updates.</summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>How long a subscribe waits for a cluster's first list before sending what it has.</summary>
    public TimeSpan FirstSyncWait { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How often a running subscription's authorization is checked again (membership removed → it ends).</summary>
    public TimeSpan RecheckInterval { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// Batches queued for a connection while its previous write is still in flight (references to shared messages, not
    /// copies); one more and the connection is behind: skipped until its write completes, then sent a fresh snapshot.
    /// 0: behind as soon as a batch finds the previous write unfinished.
    /// </summary>
    public int MaxBacklog { get; set; } = 8;

    /// <summary>
    /// Whether a batch for many connections is handed to them from several threads (slices of 128). Off by default: a
    /// hand-off is a copy into the connection's pipe and a flush (about 7 ms for 1,000 connections on the bench machine),
    /// and extra threads only compete with the transports' send loops on two cores.
    /// </summary>
    public bool ParallelDelivery { get; set; }

    /// <summary>Batches (and resync snapshots) handed to a pump's members so far, the time that took, and the longest.</summary>
    public (long Batches, TimeSpan Total, TimeSpan Longest) Deliveries
    {
        get
        {
            lock (_deliveriesGate)
            {
                return _deliveries;
            }
        }
    }

    /// <summary>Active subscriptions (diagnostics, tests).</summary>
    public int Count => _subscriptions.Count;

    /// <summary>Running shared pumps (one per subscribed scope on this replica).</summary>
    public int PumpCount
    {
        get
        {
            lock (_pumpsGate)
            {
                return _pumps.Count;
            }
        }
    }

    /// <summary>Messages serialized so far (one per batch or snapshot per protocol in use, however many subscribers).</summary>
    public long Serializations => Interlocked.Read(ref _serializations);

    /// <summary>Times a connection fell behind (its batches skipped until it caught up).</summary>
    public long FellBehind => Interlocked.Read(ref _fellBehind);

    /// <summary>Snapshots sent to connections that had fallen behind, once they caught up.</summary>
    public long CatchUps => Interlocked.Read(ref _catchUps);

    public async Task<Result> StartAsync(string connectionId, Actor actor, LiveTarget target, CancellationToken cancellationToken)
    {
        var connection = connections.Find(connectionId);
        if (connection is null)
        {
            return Result.Failure(Error.Conflict("live_connection_closed", "The connection closed before the subscription started."));
        }

        var pump = Reserve(target);
        try
        {
            var ready = await pump.Ready.WaitAsync(cancellationToken);
            if (!ready.IsSuccess)
            {
                pump.Release();
                return ready;
            }
        }
        catch (Exception)
        {
            // Cancelled (the connection went away) or the pump could not start: give the reservation back.
            pump.Release();
            throw;
        }

        var key = (connectionId, target.Scope.ToString());
        if (_subscriptions.TryRemove(key, out var old))
        {
            old.End();
        }

        var subscription = new Subscription(pump, new LivePumpMember(pump, connection));
        _subscriptions[key] = subscription;
        pump.Join(subscription.Member);
        _ = RecheckAsync(connectionId, actor, target.Scope, subscription);
        return Result.Success();
    }

    public void Stop(string connectionId, string scope)
    {
        if (_subscriptions.TryRemove((connectionId, scope), out var subscription))
        {
            subscription.End();
        }
    }

    public void StopAll(string connectionId)
    {
        foreach (var key in _subscriptions.Keys.Where(k => k.Connection == connectionId).ToList())
        {
            Stop(key.Connection, key.Scope);
        }
    }

    internal void CountSerialization() => Interlocked.Increment(ref _serializations);

    internal void CountDelivery(TimeSpan took)
    {
        lock (_deliveriesGate)
        {
            _deliveries = (_deliveries.Batches + 1, _deliveries.Total + took, took > _deliveries.Longest ? took : _deliveries.Longest);
        }
    }

    internal void CountFellBehind() => Interlocked.Increment(ref _fellBehind);

    internal void CountCatchUp() => Interlocked.Increment(ref _catchUps);

    internal void Closed(LivePump pump)
    {
        lock (_pumpsGate)
        {
            if (_pumps.TryGetValue(pump.Key, out var current) && current == pump)
            {
                _pumps.Remove(pump.Key);
            }
        }
    }

    private LivePump Reserve(LiveTarget target)
    {
        // One pump per scope and what feeds it (a workspace whose compute targets changed gets a new one).
        var key = target.Scope + "|" + string.Join(",", target.Keys);
        lock (_pumpsGate)
        {
            if (_pumps.TryGetValue(key, out var pump) && pump.TryReserve())
            {
                return pump;
            }

            pump = new LivePump(key, target, this, broadcaster, feeds, inventories, snapshots, logger);
            pump.TryReserve();
            _pumps[key] = pump;
            return pump;
        }
    }

    private async Task RecheckAsync(string connectionId, Actor actor, LiveScope scope, Subscription subscription)
    {
        try
        {
            var token = subscription.Stopped;
            while (true)
            {
                await Task.Delay(RecheckInterval, token);
                var still = await access.AuthorizeAsync(actor, scope, token);
                if (!still.IsSuccess)
                {
                    logger.LogInformation("Live subscription {Scope} of {User} ended: {Reason}", scope, actor.UserId, still.Errors[0].Message);
                    if (!_subscriptions.TryRemove(new KeyValuePair<(string, string), Subscription>((connectionId, scope.ToString()), subscription)))
                    {
                        return;
                    }

                    subscription.End();
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

    private sealed class Subscription(LivePump pump, LivePumpMember member)
    {
        private readonly CancellationTokenSource _stop = new();
        private int _ended;

        public LivePumpMember Member => member;

        public CancellationToken Stopped => _stop.Token;

        public void End()
        {
            if (Interlocked.Exchange(ref _ended, 1) == 0)
            {
                _stop.Cancel();
                pump.Leave(member);
            }
        }
    }
}
