namespace Studio.Infrastructure.Kubernetes.Inventory;

/// <summary>
/// A feature's part of every cluster's inventory. Registered in DI by the feature (jobs, instance types, ...); the
/// <see cref="InventoryRegistry"/> calls it once for each new <see cref="ClusterInventory"/>, before the inventory starts,
/// to add the feature's informers (<see cref="ClusterInventory.AddInformer{TObject, TProjection}"/>), indexes on the
/// shared ones (<see cref="ClusterInventory.AddPodIndex{TIndexed}"/>) and per-cluster state
/// (<see cref="ClusterInventory.AddPart{TPart}"/>). The inventory itself knows no feature.
/// </summary>
public interface IInventoryContributor
{
    void Contribute(ClusterInventory inventory);
}
