using k8s;
using k8s.Models;
using Studio.Infrastructure.Kubernetes.Inventory;

namespace Studio.Infrastructure.Jobs;

/// <summary>
/// The training jobs' part of a cluster's inventory: Studio's Jobs (label <c>studio.io/job</c>, all namespaces) through
/// their own shared informer, and the pods of those jobs as a label index on the inventory's one pod informer — with
/// container states and reasons, the detail the status mapping needs and the cluster-wide pod projection does not keep.
/// </summary>
public sealed class JobInformers
{
    internal JobInformers(ClusterInventory inventory)
    {
        Jobs = inventory.AddInformer<V1Job, JobObjectInfo>(
            "jobs",
            async (client, token, ct) =>
            {
                var list = await client.BatchV1.ListJobForAllNamespacesAsync(labelSelector: JobManifests.Selector, limit: 500, continueParameter: token, cancellationToken: ct);
                return (list.Items, list.Metadata?.ContinueProperty, list.Metadata?.ResourceVersion);
            },
            (client, rv, onError, ct) => client.BatchV1.WatchListJobForAllNamespacesAsync(labelSelector: JobManifests.Selector, resourceVersion: rv, allowWatchBookmarks: true, onError: onError, cancellationToken: ct),
            JobProjections.ToInfo);
        Pods = inventory.AddPodIndex<JobPodInfo>("job-pods", JobManifests.JobLabel, JobProjections.ToInfo);
    }

    public IInformer<JobObjectInfo> Jobs { get; }

    public IInformer<JobPodInfo> Pods { get; }

    /// <summary>Adds the jobs' informer and pod index to every cluster's inventory.</summary>
    public sealed class Contributor : IInventoryContributor
    {
        public void Contribute(ClusterInventory inventory) => inventory.AddPart(new JobInformers(inventory));
    }
}
