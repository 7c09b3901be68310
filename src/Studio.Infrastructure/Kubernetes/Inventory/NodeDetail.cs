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

    /// <summary>Pods bound to the node in namespaces the reader may not see by name (other workspaces'): counted, not listed.</summary>
    public int OtherWorkspacesPods { get; init; }

    /// <summary>
    /// The node, or null when the cluster has no node of that name (never had it, or it is gone). Pods in
    /// <paramref name="hiddenNamespaces"/> (other workspaces') are only counted; their GPUs show as held, unnamed.
    /// </summary>
    public static NodeDetail? Read(ClusterInventory inventory, string name, IReadOnlySet<string>? hiddenNamespaces = null)
    {
        ArgumentNullException.ThrowIfNull(inventory);
        if (string.IsNullOrEmpty(name) || !inventory.Nodes.TryGet(name, out var node) || node is null)
        {
            return null;
        }

        var bound = inventory.PodsBoundTo(name);
        bool Hidden(PodInfo p) => hiddenNamespaces is { Count: > 0 } && hiddenNamespaces.Contains(p.Namespace);
        var pods = bound.Where(p => !Hidden(p)).ToList();
        var holders = bound.Where(p => !p.Terminated && p.Requests.Gpus > 0)
            .Select(p => Hidden(p) ? new GpuHolder(string.Empty, "another workspace's pod", p.Requests.Gpus) : new GpuHolder(p.Namespace, p.Name, p.Requests.Gpus))
            .ToList();
        return new NodeDetail(node, inventory.RequestedOn(name), inventory.PodsOn(name), pods, holders) { OtherWorkspacesPods = bound.Count - pods.Count };
    }
}

/// <summary>A pod that holds GPUs of a node, and how many.</summary>
public sealed record GpuHolder(string Namespace, string Name, long Gpus);
