using Studio.Infrastructure.Kubernetes.Inventory;

namespace Studio.Web.Model;

/// <summary>
/// A component's use of clusters' shared inventories: holds their leases, coalesces their changes to one callback per
/// ~100 ms, and releases everything on dispose.
/// </summary>
public sealed class LiveClusters(InventoryRegistry registry) : IDisposable
{
    private readonly List<InventoryLease> _leases = [];
    private Coalescer? _coalescer;

    public IReadOnlyDictionary<Guid, ClusterInventory> Inventories => _leases.ToDictionary(l => l.Inventory.ClusterId, l => l.Inventory);

    /// <summary>Problems acquiring inventories (no credentials, ...), by cluster.</summary>
    public Dictionary<Guid, string> Problems { get; } = [];

    public async Task WatchAsync(IEnumerable<Guid> clusterIds, Func<Task> onChange, CancellationToken cancellationToken)
    {
        _coalescer ??= new Coalescer(onChange, TimeSpan.FromMilliseconds(100));
        foreach (var id in clusterIds)
        {
            if (_leases.Any(l => l.Inventory.ClusterId == id))
            {
                continue;
            }

            var lease = await registry.AcquireAsync(id, cancellationToken);
            if (!lease.IsSuccess)
            {
                Problems[id] = lease.Errors[0].Message;
                continue;
            }

            _leases.Add(lease.Value);
            lease.Value.Inventory.Changed += _coalescer.Signal;
        }
    }

    public void Dispose()
    {
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
