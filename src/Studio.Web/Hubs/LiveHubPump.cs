using System.Diagnostics;
using Studio.Domain.Common;
using Studio.Infrastructure.Live;

namespace Studio.Web.Hubs;

/// <summary>
/// The shared pump of one scope on this replica: the hub's subscription to the live module — one broadcaster buffer, one
/// coalescing window and one serialization per protocol for every hub subscriber of the scope — holding the scope's
/// <see cref="LiveSource"/> (leases on the clusters' inventories) while anyone subscribes.
/// </summary>
/// <remarks>
/// Ordering: every <see cref="LiveSubscription{T}.Take"/> bumps the generation under the pump's lock, and every snapshot
/// is taken under that lock too, stamped with the current generation. A member receives its snapshot, then exactly the
/// batches of later generations — each change published after the snapshot is in a later take, so nothing falls between
/// (a change may come twice: upserts are idempotent and carry the latest value). The snapshot is cached until the next
/// take, so many joiners (or members catching up) share one.
/// </remarks>
internal sealed class LiveHubPump
{
    private readonly Lock _gate = new();
    private readonly HashSet<LiveHubPumpMember> _members = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly string _scope;
    private readonly LiveTarget _target;
    private readonly ILogger _logger;
    private LiveSource? _source;
    private LiveSubscription<LiveObject>? _subscription;
    private LiveHubMessage? _snapshot;
    private long _generation;
    private int _reservations;
    private bool _closed;

    public LiveHubPump(string key, LiveTarget target, LiveHubSubscriptions owner, LiveFeed live, ILogger logger)
    {
        Key = key;
        Owner = owner;
        _scope = target.Scope.ToString();
        _target = target;
        _logger = logger;
        Ready = StartAsync(live);
    }

    public string Key { get; }

    public LiveHubSubscriptions Owner { get; }

    /// <summary>Leases held, first list awaited (or timed out), subscription open and the loop running; or why not.</summary>
    public Task<Result> Ready { get; }

    public int MemberCount
    {
        get
        {
            lock (_gate)
            {
                return _members.Count;
            }
        }
    }

    /// <summary>Holds the pump open for a subscriber about to join; false once it closed (make a new one).</summary>
    public bool TryReserve()
    {
        lock (_gate)
        {
            if (_closed)
            {
                return false;
            }

            _reservations++;
            return true;
        }
    }

    /// <summary>Gives back a reservation; the last one closes the pump (subscription, loop and leases end).</summary>
    public void Release()
    {
        lock (_gate)
        {
            if (--_reservations > 0 || _closed)
            {
                return;
            }

            _closed = true;
        }

        Owner.Closed(this);
        _stop.Cancel();
    }

    /// <summary>Adds a member (under a reservation) and sends it the current snapshot.</summary>
    public void Join(LiveHubPumpMember member)
    {
        lock (_gate)
        {
            _members.Add(member);
            member.SendSnapshot(CurrentSnapshot(), _generation, onlyIfBehind: false);
        }
    }

    /// <summary>Removes a member and gives back its reservation.</summary>
    public void Leave(LiveHubPumpMember member)
    {
        member.Remove();
        lock (_gate)
        {
            _members.Remove(member);
        }

        Release();
    }

    /// <summary>A member that fell behind finished its write: it gets a fresh snapshot before further batches.</summary>
    public void CatchUp(LiveHubPumpMember member)
    {
        lock (_gate)
        {
            if (!_closed && _members.Contains(member) && member.SendSnapshot(CurrentSnapshot(), _generation, onlyIfBehind: true))
            {
                Owner.Metrics.CaughtUp();
            }
        }
    }

    public void WriteFailed(Exception exception) => _logger.LogDebug(exception, "Writing live updates of {Scope} to a connection failed", _scope);

    private LiveHubMessage CurrentSnapshot() =>
        _snapshot ??= new LiveHubMessage(new LiveUpdate(_scope, true, _source?.Snapshot() ?? []), Owner.Metrics.Serialized);

    /// <summary>
    /// Hands the batch to every member: writes are copies into each connection's pipe plus a flush, so with many members
    /// they are spread over the cores in slices (each member's order is kept: the next batch waits for this one).
    /// </summary>
    private static void Deliver(LiveHubPumpMember[] members, LiveHubMessage message, long generation, bool parallel)
    {
        const int Slice = 128;
        if (!parallel || members.Length <= Slice || Environment.ProcessorCount == 1)
        {
            foreach (var member in members)
            {
                member.Deliver(message, generation);
            }

            return;
        }

        Parallel.For(0, (members.Length + Slice - 1) / Slice, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, slice =>
        {
            for (var i = slice * Slice; i < Math.Min(members.Length, (slice + 1) * Slice); i++)
            {
                members[i].Deliver(message, generation);
            }
        });
    }

    private async Task<Result> StartAsync(LiveFeed live)
    {
        await Task.Yield();
        Result<LiveSource> source;
        try
        {
            source = await live.OpenAsync(_target, _stop.Token);
        }
        catch (OperationCanceledException)
        {
            return Result.Failure(Error.Conflict("live_subscription_ended", "The subscription ended while it was starting."));
        }

        if (!source.IsSuccess)
        {
            return Result.Failure(source.Errors);
        }

        // Job records reach hub clients through the backplane (LiveHubJobRelay), so the pump follows the informer keys.
        lock (_gate)
        {
            _source = source.Value;
            _subscription = live.OpenBuffer(_target.InformerKeys, _target.Includes);
        }

        _ = RunAsync(_subscription);
        return Result.Success();
    }

    private async Task RunAsync(LiveSubscription<LiveObject> subscription)
    {
        var token = _stop.Token;
        var sinceTake = Stopwatch.StartNew();
        try
        {
            while (!token.IsCancellationRequested)
            {
                await subscription.WaitAsync(token);

                // At most one batch per window; the time spent delivering the last batch counts towards the next window
                // (after a quiet spell the first change goes out at once, the rest of its burst a window later).
                var wait = Owner.Window - sinceTake.Elapsed;
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, token);
                }

                LiveHubMessage message;
                LiveHubPumpMember[] members;
                long generation;
                lock (_gate)
                {
                    var (resync, changes) = subscription.Take();
                    generation = ++_generation;
                    sinceTake.Restart();
                    _snapshot = null;
                    if (resync)
                    {
                        message = CurrentSnapshot();
                    }
                    else if (changes.Count > 0)
                    {
                        message = new LiveHubMessage(new LiveUpdate(_scope, false, changes), Owner.Metrics.Serialized);
                    }
                    else
                    {
                        continue;
                    }

                    members = [.. _members];
                }

                var started = Stopwatch.GetTimestamp();
                Deliver(members, message, generation, Owner.Options.ParallelDelivery);
                Owner.Metrics.Delivered(Stopwatch.GetElapsedTime(started));
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            _logger.LogWarning(ex, "Live pump of {Scope} stopped", _scope);
            lock (_gate)
            {
                _closed = true;
            }

            // New subscribers get a new pump.
            Owner.Closed(this);
        }
        finally
        {
            subscription.Dispose();
            _source?.Dispose();
        }
    }
}
