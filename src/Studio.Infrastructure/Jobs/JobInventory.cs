using Studio.Infrastructure.Kubernetes.Inventory;

namespace Studio.Infrastructure.Jobs;

/// <summary>The training jobs' part of a cluster's inventory, read as if the inventory had it (<c>inventory.Jobs</c>, <c>inventory.JobPods</c>).</summary>
public static class JobInventory
{
    extension(ClusterInventory inventory)
    {
        /// <summary>Studio training Jobs (label <c>studio.io/job</c>), all namespaces.</summary>
        public IInformer<JobObjectInfo> Jobs => inventory.Part<JobInformers>().Jobs;

        /// <summary>The pods of Studio training jobs: a label index on the inventory's pod informer, not a watch of its own.</summary>
        public IInformer<JobPodInfo> JobPods => inventory.Part<JobInformers>().Pods;
    }
}
