using Studio.Domain.Common;

namespace Studio.Domain.InstanceTypes;

/// <summary>
/// Where an instance type can run on a set of nodes (see <see cref="FitCalculator.Evaluate"/>): per node (in the order
/// given) and per pool (eligible nodes only; the totals are sums over pools),
/// totals over eligible nodes, the largest eligible node, and per-field errors (it can never fit, or its selector
/// contradicts the extension's) and warnings (the selector matches no node).
/// </summary>
public sealed record FitReport(
    InstanceType InstanceType,
    IReadOnlyList<NodeFit> Nodes,
    IReadOnlyList<PoolFit> Pools,
    FitNode? LargestEligibleNode,
    IReadOnlyList<Error> Errors,
    IReadOnlyList<Error> Warnings)
{
    /// <summary>Nodes the pod may be placed on (selector and taints), whatever their free capacity.</summary>
    public int MatchingNodes => Pools.Sum(p => p.MatchingNodes);

    /// <summary>Replicas that fit in free capacity now, summed over eligible nodes.</summary>
    public int ReplicasFitNow => Sum(Pools.Select(p => p.ReplicasFitNow));

    /// <summary>Replicas that would fit if every eligible node were empty.</summary>
    public int ReplicasFitEmpty => Sum(Pools.Select(p => p.ReplicasFitEmpty));

    /// <summary>GPUs free now on eligible nodes.</summary>
    public long FreeGpus => Pools.Sum(p => p.FreeGpus);

    /// <summary>Whether <paramref name="replicas"/> pods fit now, only on an empty cluster, or never.</summary>
    public FitVerdict VerdictFor(int replicas = 1) =>
        replicas <= 0 ? FitVerdict.FitsNow
        : ReplicasFitNow >= replicas ? FitVerdict.FitsNow
        : ReplicasFitEmpty >= replicas ? FitVerdict.WillQueue
        : FitVerdict.NeverFits;

    private static int Sum(IEnumerable<int> values) => (int)Math.Min(int.MaxValue, values.Sum(v => (long)v));
}
