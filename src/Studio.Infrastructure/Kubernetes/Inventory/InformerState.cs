namespace Studio.Infrastructure.Kubernetes.Inventory;

/// <summary>Where a shared informer is: first sync, in sync and watching, or unable to keep its watch.</summary>
public enum InformerState
{
    Syncing,
    Synced,
    Degraded,
}
