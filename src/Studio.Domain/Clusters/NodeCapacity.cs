namespace Studio.Domain.Clusters;

/// <summary>
/// What a node can still take: allocatable minus the requests of its non-terminated pods — the basis of every
/// "fits now" answer.
/// </summary>
public sealed record NodeCapacity(string Node, ResourceAmounts Allocatable, ResourceAmounts Requested, bool Schedulable)
{
    public ResourceAmounts Free => Schedulable ? (Allocatable - Requested).AtLeastZero() : ResourceAmounts.Zero;

    /// <summary>Sums nodes' capacity, e.g. per pool or per cluster.</summary>
    public static ResourceAmounts TotalAllocatable(IEnumerable<NodeCapacity> nodes) => nodes.Aggregate(ResourceAmounts.Zero, (sum, n) => sum + n.Allocatable);

    public static ResourceAmounts TotalRequested(IEnumerable<NodeCapacity> nodes) => nodes.Aggregate(ResourceAmounts.Zero, (sum, n) => sum + n.Requested);
}
