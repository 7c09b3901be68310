using Studio.Infrastructure.Kubernetes.Inventory;

namespace Studio.Web.Model;

/// <summary>
/// A component's use of clusters' shared inventories: holds their leases and calls back at most once per ~100 ms batch
/// — either on raw inventory changes (<see cref="WatchAsync"/>) or with the shared per-cluster
/// <see cref="LiveClusterView"/> computed once for every circuit (<see cref="WatchViewsAsync"/>) — and releases
/// everything on dispose.
/// </summary>
public sealed class LiveClusters(InventoryRegistry registry, LiveClusterViews views) : IDisposable
{
    private readonly List<InventoryLease> _leases = [];
    private readonly Dictionary<Guid, IDisposable> _viewSubscriptions = [];
    private readonly Dictionary<Guid, LiveClusterView> _views = [];
    private Coalescer? _coalescer;

    public IReadOnlyDictionary<Guid, ClusterInventory> Inventories => _leases.ToDictionary(l => l.Inventory.ClusterId, l => l.Inventory);

    /// <summary>Problems acquiring inventories (no credentials, ...), by cluster.</summary>
    public Dictionary<Guid, string> Problems { get; } = [];

    /// <summary>Calls <paramref name="onChange"/> at most once per ~100 ms after the clusters' inventories changed.</summary>
    public async Task WatchAsync(IEnumerable<Guid> clusterIds, Func<Task> onChange, CancellationToken cancellationToken)
    {
        _coalescer ??= new Coalescer(onChange, TimeSpan.FromMilliseconds(100));
        foreach (var id in clusterIds)
        {
            if (_leases.Any(l => l.Inventory.ClusterId == id))
            {
                continue;
            }

            if (await AcquireAsync(id, cancellationToken) is { } inventory)
            {
                inventory.Changed += _coalescer.Signal;
            }
        }
    }

    /// <summary>
    /// Follows the clusters' shared views: <see cref="View"/> has the latest one at once, and <paramref name="onChange"/>
    /// runs once per change batch after it was replaced. Nothing cluster-sized is copied per component.
    /// </summary>
    public async Task WatchViewsAsync(IEnumerable<Guid> clusterIds, Func<Task> onChange, CancellationToken cancellationToken)
    {
        foreach (var id in clusterIds)
        {
            if (_viewSubscriptions.ContainsKey(id))
            {
                continue;
            }

            var inventory = _leases.FirstOrDefault(l => l.Inventory.ClusterId == id)?.Inventory ?? await AcquireAsync(id, cancellationToken);
            if (inventory is null)
            {
                continue;
            }

            var clusterId = id;
            _viewSubscriptions[id] = views.Subscribe(
                inventory,
                view =>
                {
                    lock (_views)
                    {
                        _views[clusterId] = view;
                    }

                    return onChange();
                },
                out var current);
            lock (_views)
            {
                _views[id] = current;
            }
        }
    }

    /// <summary>The latest shared view of a cluster followed with <see cref="WatchViewsAsync"/> (null: not available).</summary>
    public LiveClusterView? View(Guid clusterId)
    {
        lock (_views)
        {
            return _views.GetValueOrDefault(clusterId);
        }
    }

    private async Task<ClusterInventory?> AcquireAsync(Guid id, CancellationToken cancellationToken)
    {
        var lease = await registry.AcquireAsync(id, cancellationToken);
        if (!lease.IsSuccess)
        {
            Problems[id] = lease.Errors[0].Message;
            return null;
        }

        _leases.Add(lease.Value);
        return lease.Value.Inventory;
    }

    public void Dispose()
    {
        foreach (var subscription in _viewSubscriptions.Values)
        {
            subscription.Dispose();
        }

        _viewSubscriptions.Clear();
        lock (_views)
        {
            _views.Clear();
        }

        foreach (var lease in _leases)
        {
            if (_coalescer is not null)
            {
                lease.Inventory.Changed -= _coalescer.Signal;
            }

            lease.Dispose();
        }

        _leases.Clear();
        _coalescer?.Dispose();
        _coalescer = null;
    }
}
