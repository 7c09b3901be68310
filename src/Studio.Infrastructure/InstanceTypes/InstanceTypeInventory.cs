using Studio.Infrastructure.Kubernetes.Inventory;

namespace Studio.Infrastructure.InstanceTypes;

/// <summary>The instance types' part of a cluster's inventory, read as if the inventory had it (<c>inventory.InstanceTypes</c>).</summary>
public static class InstanceTypeInventory
{
    extension(ClusterInventory inventory)
    {
        /// <summary>The cluster's InstanceType resources (see <see cref="InstanceTypeInformer"/>).</summary>
        public IInformer<InstanceTypeEntry> InstanceTypes => inventory.Part<InstanceTypeInformer>().Informer;

        /// <summary>Whether the InstanceType CRD exists (null until the first list answered).</summary>
        public bool? InstanceTypesInstalled => inventory.Part<InstanceTypeInformer>().Installed;
    }
}
