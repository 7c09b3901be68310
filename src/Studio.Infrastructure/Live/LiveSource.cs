using Studio.Infrastructure.Kubernetes.Inventory;

namespace Studio.Infrastructure.Live;

/// <summary>
/// What an authorized scope is fed from while someone follows it: leases on its clusters' shared inventories (their
/// informers publish to the broadcaster), and the snapshot of the scope taken from them. Disposing releases the leases.
/// </summary>
public sealed class LiveSource : IDisposable
{
    private readonly IReadOnlyList<InventoryLease> _leases;
    private readonly LiveSnapshots _snapshots;
    private int _disposed;

    internal LiveSource(LiveTarget target, IReadOnlyList<InventoryLease> leases, LiveSnapshots snapshots)
    {
        Target = target;
        _leases = leases;
        _snapshots = snapshots;
        Inventories = leases.ToDictionary(l => l.Inventory.ClusterId, l => l.Inventory);
    }

    public LiveTarget Target { get; }

    /// <summary>The inventories held, by cluster.</summary>
    public IReadOnlyDictionary<Guid, ClusterInventory> Inventories { get; }

    /// <summary>The scope's whole state now: its nodes and pods from the inventories, and its job records.</summary>
    public IReadOnlyList<LiveChange<LiveObject>> Snapshot() => _snapshots.Take(Target, Inventories);

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            foreach (var lease in _leases)
            {
                lease.Dispose();
            }
        }
    }
}
