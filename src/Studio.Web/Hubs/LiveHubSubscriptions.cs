using System.Collections.Concurrent;
using Microsoft.AspNetCore.SignalR;
using Studio.Domain.Common;
using Studio.Domain.Workspaces;
using Microsoft.Extensions.Options;
using Studio.Infrastructure.Live;

namespace Studio.Web.Hubs;

/// <summary>
/// The hub's subscriptions: the hub is one more subscriber of the live module. Subscribers to the same scope on this
/// replica share one <see cref="LiveHubPump"/>: one broadcaster subscription, one coalescing window and one serialization per protocol, written as the same bytes to
/// every connection (through <see cref="LiveHubConnections"/>), holding leases on the clusters' shared inventories while
/// anyone subscribes. Authorization stays per subscribe (the hub asks the live module's access rules) and is re-checked per
/// subscription. Subscribing again replaces the subscription, so a client that reconnects (new connection) or
/// resubscribes starts with a fresh snapshot. A connection whose writes do not keep up is skipped and gets a snapshot
/// when it has caught up; it never delays the others.
/// </summary>
public sealed class LiveHubSubscriptions
{
    private readonly ConcurrentDictionary<(string Connection, string Scope), Subscription> _subscriptions = new();
    private readonly Lock _pumpsGate = new();
    private readonly Dictionary<string, LiveHubPump> _pumps = new(StringComparer.Ordinal);
    private readonly LiveFeed _live;
    private readonly LiveHubConnections _connections;
    private readonly IHubContext<LiveHub, ILiveClient> _hub;
    private readonly ILogger<LiveHubSubscriptions> _logger;

    public LiveHubSubscriptions(LiveFeed live, LiveHubConnections connections, IHubContext<LiveHub, ILiveClient> hub, IOptions<LiveHubOptions> options, LiveHubMetrics metrics, ILogger<LiveHubSubscriptions> logger)
    {
        _live = live;
        _connections = connections;
        _hub = hub;
        _logger = logger;
        Options = options.Value;
        Metrics = metrics;
        metrics.Meter.CreateObservableGauge(LiveHubMetrics.Subscriptions, () => Count, "{subscription}", "Live hub subscriptions on this replica.");
        metrics.Meter.CreateObservableGauge(LiveHubMetrics.Pumps, () => PumpCount, "{pump}", "Shared live hub pumps on this replica (one per subscribed scope).");
    }

    /// <summary>Batching window of hub updates (the live module's).</summary>
    public TimeSpan Window => _live.Options.BatchWindow;

    public LiveHubOptions Options { get; }

    internal LiveHubMetrics Metrics { get; }

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

    public async Task<Result> StartAsync(string connectionId, Actor actor, LiveTarget target, CancellationToken cancellationToken)
    {
        var connection = _connections.Find(connectionId);
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

        var subscription = new Subscription(pump, new LiveHubPumpMember(pump, connection));
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

    internal void Closed(LiveHubPump pump)
    {
        lock (_pumpsGate)
        {
            if (_pumps.TryGetValue(pump.Key, out var current) && current == pump)
            {
                _pumps.Remove(pump.Key);
            }
        }
    }

    private LiveHubPump Reserve(LiveTarget target)
    {
        // One pump per scope and what feeds it (a workspace whose compute targets changed gets a new one; members of
        // different workspaces on one cluster get their own).
        var key = target.ShareKey;
        lock (_pumpsGate)
        {
            if (_pumps.TryGetValue(key, out var pump) && pump.TryReserve())
            {
                return pump;
            }

            pump = new LiveHubPump(key, target, this, _live, _logger);
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
                await Task.Delay(Options.RecheckInterval, token);
                var still = await _live.AuthorizeAsync(actor, scope, token);
                if (!still.IsSuccess)
                {
                    _logger.LogInformation("Live subscription {Scope} of {User} ended: {Reason}", scope, actor.UserId, still.Errors[0].Message);
                    if (!_subscriptions.TryRemove(new KeyValuePair<(string, string), Subscription>((connectionId, scope.ToString()), subscription)))
                    {
                        return;
                    }

                    subscription.End();
                    await _hub.Groups.RemoveFromGroupAsync(connectionId, LiveHubPublisher.Group(scope), CancellationToken.None);
                    await _hub.Clients.Client(connectionId).Ended(scope.ToString(), still.Errors[0].Message);
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

    private sealed class Subscription(LiveHubPump pump, LiveHubPumpMember member)
    {
        private readonly CancellationTokenSource _stop = new();
        private int _ended;

        public LiveHubPumpMember Member => member;

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
