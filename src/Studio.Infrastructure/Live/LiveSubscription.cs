namespace Studio.Infrastructure.Live;

/// <summary>
/// One subscriber's buffer in a <see cref="LiveBroadcaster{T}"/>: changes coalesced per object as they arrive (latest
/// change wins, first-seen order kept), bounded by <c>capacity</c> distinct objects — beyond that the backlog is dropped
/// and the next <see cref="Take"/> says "resync" (send a snapshot). Dispose to unregister.
/// </summary>
public sealed class LiveSubscription<T> : IDisposable
    where T : class
{
    private readonly Lock _gate = new();
    private readonly SemaphoreSlim _signal = new(0, 1);
    private readonly int _capacity;
    private readonly Func<LiveChange<T>, bool>? _filter;
    private readonly Action<LiveSubscription<T>> _unregister;
    private Dictionary<string, LiveChange<T>> _pending = new(StringComparer.Ordinal);
    private List<string> _order = [];
    private bool _resync;
    private int _disposed;

    internal LiveSubscription(int capacity, Func<LiveChange<T>, bool>? filter, Action<LiveSubscription<T>> unregister)
    {
        _capacity = capacity;
        _filter = filter;
        _unregister = unregister;
    }

    internal void Offer(LiveChange<T> change)
    {
        if (_filter is not null && !_filter(change))
        {
            return;
        }

        lock (_gate)
        {
            if (_resync)
            {
                return;
            }

            if (_pending.TryAdd(change.Key, change))
            {
                if (_pending.Count > _capacity)
                {
                    // Too far behind: forget the backlog, send a snapshot next.
                    _resync = true;
                    _pending = new(StringComparer.Ordinal);
                    _order = [];
                }
                else
                {
                    _order.Add(change.Key);
                }
            }
            else
            {
                _pending[change.Key] = change;
            }
        }

        Wake();
    }

    internal void Invalidate()
    {
        lock (_gate)
        {
            _resync = true;
            _pending = new(StringComparer.Ordinal);
            _order = [];
        }

        Wake();
    }

    /// <summary>Completes when something is pending (a change or a resync) — possibly already taken by then.</summary>
    public Task WaitAsync(CancellationToken cancellationToken) => _signal.WaitAsync(cancellationToken);

    /// <summary>
    /// Takes what is pending: either "resync" (the backlog overflowed or the source relisted: send a snapshot) or the
    /// coalesced changes since the last take, in first-seen order (possibly none).
    /// </summary>
    public (bool Resync, IReadOnlyList<LiveChange<T>> Changes) Take()
    {
        lock (_gate)
        {
            if (_resync)
            {
                _resync = false;
                return (true, []);
            }

            var changes = _order.Select(k => _pending[k]).ToList();
            _pending = new(StringComparer.Ordinal);
            _order = [];
            return (false, changes);
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _unregister(this);
        }
    }

    private void Wake()
    {
        if (_signal.CurrentCount == 0)
        {
            try
            {
                _signal.Release();
            }
            catch (SemaphoreFullException)
            {
                // Another publisher woke it first.
            }
        }
    }
}
