using Studio.Infrastructure.Kubernetes.Inventory;

namespace Studio.Infrastructure.Live;

/// <summary>A GPU node with the non-terminated pods that hold its GPUs (ordered by namespace, then name).</summary>
public sealed record GpuNodeLoad(NodeInfo Node, IReadOnlyList<PodInfo> Pods)
{
    /// <summary>GPUs held on the node (capped at what it has).</summary>
    public long Used { get; } = Math.Min(Node.Allocatable.Gpus, Pods.Sum(p => p.Requests.Gpus));

    /// <summary>GPU nodes busiest first (then by pool and name), with their GPU pods, in one pass over the pods.</summary>
    public static IReadOnlyList<GpuNodeLoad> From(IEnumerable<NodeInfo> nodes, IEnumerable<PodInfo> pods)
    {
        var byNode = new Dictionary<string, List<PodInfo>>(StringComparer.Ordinal);
        foreach (var pod in pods)
        {
            if (pod.Requests.Gpus <= 0 || pod.Terminated || pod.NodeName is not { } node)
            {
                continue;
            }

            if (!byNode.TryGetValue(node, out var list))
            {
                byNode[node] = list = [];
            }

            list.Add(pod);
        }

        return From(nodes, byNode.ToDictionary(e => e.Key, e => (IReadOnlyList<PodInfo>)e.Value, StringComparer.Ordinal));
    }

    /// <summary>GPU nodes busiest first from GPU pods already grouped by node (the inventory's index): O(GPU nodes).</summary>
    public static IReadOnlyList<GpuNodeLoad> From(IEnumerable<NodeInfo> nodes, IReadOnlyDictionary<string, IReadOnlyList<PodInfo>> gpuPodsByNode) =>
        [.. nodes
            .Where(n => n.Allocatable.Gpus > 0)
            .Select(n => new GpuNodeLoad(n, gpuPodsByNode.TryGetValue(n.Name, out var held)
                ? [.. held.OrderBy(p => p.Namespace, StringComparer.Ordinal).ThenBy(p => p.Name, StringComparer.Ordinal)]
                : []))
            .OrderByDescending(l => l.Used)
            .ThenBy(l => l.Node.Pool, StringComparer.Ordinal)
            .ThenBy(l => l.Node.Name, StringComparer.Ordinal)];
}
