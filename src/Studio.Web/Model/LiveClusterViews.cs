using Studio.Infrastructure.Kubernetes.Inventory;

namespace Studio.Web.Model;

/// <summary>
/// One <see cref="LiveClusterView"/> per running cluster inventory, shared by every circuit that shows it: the
/// inventory's changes are coalesced to one recomputation per <see cref="Interval"/> (about 100 ms), then each
/// subscriber is called back once with the same immutable view. With 50 browsers on a 150,000-pod cluster the pods are
/// scanned once per batch, not 50 times, and no circuit keeps its own copy.
/// </summary>
public sealed class LiveClusterViews(TimeProvider clock)
{
    private readonly TimeProvider _clock = clock;
    private readonly Lock _gate = new();
    private readonly Dictionary<ClusterInventory, Entry> _entries = new(ReferenceEqualityComparer.Instance);
    private long _version;

    /// <summary>The batching window: at most one recomputation (and one callback per subscriber) per interval.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>How many inventories are followed (for tests and diagnostics).</summary>
    public int Followed
    {
        get
        {
            lock (_gate)
            {
                return _entries.Count;
            }
        }
    }

    /// <summary>
    /// Follows <paramref name="inventory"/>: <paramref name="onUpdate"/> gets each new view after a change batch.
    /// <paramref name="current"/> is the latest view (computed now if nobody followed the inventory). Dispose to stop.
    /// </summary>
    public IDisposable Subscribe(ClusterInventory inventory, Func<LiveClusterView, Task> onUpdate, out LiveClusterView current)
    {
        Entry entry;
        lock (_gate)
        {
            if (!_entries.TryGetValue(inventory, out entry!))
            {
                entry = new Entry(this, inventory);
                _entries[inventory] = entry;
            }

            entry.Add(onUpdate);
        }

        current = entry.Current();
        return new Subscription(this, entry, onUpdate);
    }

    private long NextVersion() => Interlocked.Increment(ref _version);

    private void Unsubscribe(Entry entry, Func<LiveClusterView, Task> onUpdate)
    {
        lock (_gate)
        {
            if (entry.Remove(onUpdate) == 0 && _entries.TryGetValue(entry.Inventory, out var known) && ReferenceEquals(known, entry))
            {
                _entries.Remove(entry.Inventory);
                entry.Stop();
            }
        }
    }

    private sealed class Subscription(LiveClusterViews owner, Entry entry, Func<LiveClusterView, Task> onUpdate) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                owner.Unsubscribe(entry, onUpdate);
            }
        }
    }

    private sealed class Entry
    {
        private readonly LiveClusterViews _owner;
        private readonly Coalescer _coalescer;
        private readonly Lock _compute = new();
        private Func<LiveClusterView, Task>[] _subscribers = [];
        private LiveClusterView? _view;
        private long _gpuPodsVersion;
        private int _dirty = 1;
        private int _nodesChanged = 1;

        public Entry(LiveClusterViews owner, ClusterInventory inventory)
        {
            _owner = owner;
            Inventory = inventory;
            _coalescer = new Coalescer(PublishAsync, owner.Interval);
            inventory.Changed += OnChanged;
            inventory.Nodes.Changed += OnNodesChanged;
        }

        public ClusterInventory Inventory { get; }

        public void Add(Func<LiveClusterView, Task> subscriber) => _subscribers = [.. _subscribers, subscriber];

        public int Remove(Func<LiveClusterView, Task> subscriber)
        {
            var list = _subscribers.ToList();
            list.Remove(subscriber);
            _subscribers = [.. list];
            return _subscribers.Length;
        }

        public void Stop()
        {
            Inventory.Changed -= OnChanged;
            Inventory.Nodes.Changed -= OnNodesChanged;
            _coalescer.Dispose();
        }

        /// <summary>The latest view; recomputed only if a change arrived since (a first subscriber, or one between batches).</summary>
        public LiveClusterView Current()
        {
            lock (_compute)
            {
                if (_view is null || Interlocked.Exchange(ref _dirty, 0) == 1)
                {
                    // Read the GPU index version before computing: a GPU change racing with this computation only makes
                    // the next batch rebuild the list again.
                    var gpuPodsVersion = Inventory.GpuPodsVersion;
                    var nodesChanged = Interlocked.Exchange(ref _nodesChanged, 0) == 1;
                    _view = LiveClusterView.From(Inventory, _owner._clock.GetUtcNow(), _owner.NextVersion(), _view is null ? null : (_view, _gpuPodsVersion, nodesChanged));
                    _gpuPodsVersion = gpuPodsVersion;
                }

                return _view;
            }
        }

        /// <summary>
        /// Runs after <see cref="OnChanged"/> for the same node event (the inventory's own handler comes first), so a view
        /// computed in between — by the flush or by a new subscriber — missed the node part: mark it dirty again.
        /// </summary>
        private void OnNodesChanged()
        {
            Volatile.Write(ref _nodesChanged, 1);
            OnChanged();
        }

        private void OnChanged()
        {
            Volatile.Write(ref _dirty, 1);
            _coalescer.Signal();
        }

        private async Task PublishAsync()
        {
            var view = Current();
            var subscribers = _subscribers;
            var pending = new Task[subscribers.Length];
            for (var i = 0; i < subscribers.Length; i++)
            {
                pending[i] = Notify(subscribers[i], view);
            }

            await Task.WhenAll(pending);
        }

        private static async Task Notify(Func<LiveClusterView, Task> subscriber, LiveClusterView view)
        {
            try
            {
                await subscriber(view);
            }
            catch (Exception ex) when (ex is ObjectDisposedException or InvalidOperationException or TaskCanceledException)
            {
                // The circuit went away between the batch and the callback; the others still get the view.
            }
        }
    }
}
