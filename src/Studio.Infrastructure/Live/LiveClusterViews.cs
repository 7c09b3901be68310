using System.Diagnostics;
using Microsoft.Extensions.Options;
using Studio.Infrastructure.Kubernetes.Inventory;

namespace Studio.Infrastructure.Live;

/// <summary>
/// The live module's derived feed: one <see cref="LiveClusterView"/> per running cluster inventory, shared by every page
/// that shows it. The inventory's changes are coalesced to one recomputation per batch window (about 100 ms) and the new
/// view is published on the module's broadcaster, where each subscriber receives the same immutable view. With 50
/// browsers on a 150,000-pod cluster the pods are scanned once per batch, not 50 times, and no circuit keeps its own copy.
/// </summary>
public sealed class LiveClusterViews(TimeProvider clock, IOptions<LiveOptions> options, LiveMetrics metrics)
{
    private readonly LiveBroadcaster<LiveClusterView> _broadcaster = new();
    private readonly TimeProvider _clock = clock;
    private readonly TimeSpan _window = options.Value.BatchWindow;
    private readonly LiveMetrics _metrics = metrics;
    private readonly Lock _gate = new();
    private readonly Dictionary<ClusterInventory, Entry> _entries = new(ReferenceEqualityComparer.Instance);
    private long _version;
    private long _keys;

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
    /// Follows <paramref name="inventory"/>'s shared view: the snapshot is the latest view (computed now if nobody followed
    /// the inventory), each batch the view after a change batch. Disposing the stream stops following; the last one
    /// leaving unsubscribes from the inventory.
    /// </summary>
    public Task<LiveStream<LiveClusterView>> SubscribeAsync(ClusterInventory inventory, CancellationToken cancellationToken) =>
        SubscribeAsync(inventory, null, cancellationToken);

    /// <summary>As <see cref="SubscribeAsync(ClusterInventory, CancellationToken)"/>; <paramref name="ended"/> runs after the stream ended.</summary>
    public Task<LiveStream<LiveClusterView>> SubscribeAsync(ClusterInventory inventory, Action? ended, CancellationToken cancellationToken)
    {
        Entry entry;
        lock (_gate)
        {
            if (!_entries.TryGetValue(inventory, out entry!))
            {
                entry = new Entry(this, inventory, $"view:{Interlocked.Increment(ref _keys)}");
                _entries[inventory] = entry;
            }

            entry.Subscribers++;
        }

        _metrics.Subscribed();
        return LiveStream<LiveClusterView>.OpenAsync(
            token => _broadcaster.SubscribeAsync(entry.Key, () => [entry.Change(entry.Current())], TimeSpan.Zero, cancellationToken: token),
            () =>
            {
                Unsubscribe(entry);
                ended?.Invoke();
            },
            cancellationToken);
    }

    private long NextVersion() => Interlocked.Increment(ref _version);

    private void Unsubscribe(Entry entry)
    {
        _metrics.Unsubscribed();
        lock (_gate)
        {
            if (--entry.Subscribers == 0 && _entries.TryGetValue(entry.Inventory, out var known) && ReferenceEquals(known, entry))
            {
                _entries.Remove(entry.Inventory);
                entry.Stop();
            }
        }
    }

    private sealed class Entry
    {
        private readonly LiveClusterViews _owner;
        private readonly Coalescer _coalescer;
        private readonly Lock _compute = new();
        private LiveClusterView? _view;
        private long _gpuPodsVersion;
        private int _dirty = 1;
        private int _nodesChanged = 1;

        public Entry(LiveClusterViews owner, ClusterInventory inventory, string key)
        {
            _owner = owner;
            Inventory = inventory;
            Key = key;
            _coalescer = new Coalescer(PublishAsync, owner._window);
            inventory.Changed += OnChanged;
            inventory.Nodes.Changed += OnNodesChanged;
        }

        public ClusterInventory Inventory { get; }

        /// <summary>The broadcaster key the views of this inventory are published under.</summary>
        public string Key { get; }

        /// <summary>Streams following this view (under the owner's lock).</summary>
        public int Subscribers { get; set; }

        public LiveChange<LiveClusterView> Change(LiveClusterView view) => new(ChangeKind.Upsert, Key, view);

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
                    var started = Stopwatch.GetTimestamp();
                    var gpuPodsVersion = Inventory.GpuPodsVersion;
                    var nodesChanged = Interlocked.Exchange(ref _nodesChanged, 0) == 1;
                    _view = LiveClusterView.From(Inventory, _owner._clock.GetUtcNow(), _owner.NextVersion(), _view is null ? null : (_view, _gpuPodsVersion, nodesChanged));
                    _gpuPodsVersion = gpuPodsVersion;
                    _owner._metrics.ViewComputed(Stopwatch.GetElapsedTime(started));
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

        private Task PublishAsync()
        {
            _owner._broadcaster.Publish(Key, Change(Current()));
            return Task.CompletedTask;
        }
    }
}
