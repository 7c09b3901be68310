using Studio.Domain.Clusters;

namespace Studio.Infrastructure.Kubernetes.Inventory;

/// <summary>
/// One node as its page shows it: the node, what its running pods request, every pod bound to it (finished ones too) and
/// who holds its GPUs. Read from the shared informers' indexes: no pass over every pod of the cluster.
/// </summary>
public sealed record NodeDetail(NodeInfo Node, ResourceAmounts Requested, int ActivePods, IReadOnlyList<PodInfo> Pods, IReadOnlyList<GpuHolder> GpuHolders)
{
    /// <summary>GPUs requested by the node's running pods.</summary>
    public long GpusAllocated => Requested.Gpus;

    /// <summary>The node, or null when the cluster has no node of that name (never had it, or it is gone).</summary>
    public static NodeDetail? Read(ClusterInventory inventory, string name)
    {
        ArgumentNullException.ThrowIfNull(inventory);
        if (string.IsNullOrEmpty(name) || !inventory.Nodes.TryGet(name, out var node) || node is null)
        {
            return null;
        }

        var pods = inventory.PodsBoundTo(name);
        var holders = pods.Where(p => !p.Terminated && p.Requests.Gpus > 0).Select(p => new GpuHolder(p.Namespace, p.Name, p.Requests.Gpus)).ToList();
        return new NodeDetail(node, inventory.RequestedOn(name), inventory.PodsOn(name), pods, holders);
    }
}

/// <summary>A pod that holds GPUs of a node, and how many.</summary>
public sealed record GpuHolder(string Namespace, string Name, long Gpus);
