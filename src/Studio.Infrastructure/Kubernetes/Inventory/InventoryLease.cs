namespace Studio.Infrastructure.Kubernetes.Inventory;

/// <summary>A use of a cluster's shared inventory; dispose it when the page or service no longer needs it.</summary>
public sealed class InventoryLease(ClusterInventory inventory, Action release) : IDisposable
{
    private int _disposed;

    public ClusterInventory Inventory { get; } = inventory;

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            release();
        }
    }
}
