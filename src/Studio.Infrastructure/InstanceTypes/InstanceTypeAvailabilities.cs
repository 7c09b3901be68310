using Studio.Domain.Clusters;
using Studio.Domain.InstanceTypes;
using Studio.Infrastructure.Kubernetes.Inventory;

namespace Studio.Infrastructure.InstanceTypes;

/// <summary>Turns a live inventory into the fit calculator's nodes, and verdicts into badges.</summary>
public static class InstanceTypeAvailabilities
{
    public static AvailabilityBadge Badge(FitVerdict verdict) => verdict switch
    {
        FitVerdict.FitsNow => AvailabilityBadge.AvailableNow,
        FitVerdict.WillQueue => AvailabilityBadge.Busy,
        _ => AvailabilityBadge.CannotFit,
    };

    /// <summary>The nodes of <paramref name="inventory"/> with labels, parsed taints, allocatable and free capacity now.</summary>
    public static IReadOnlyList<FitNode> Nodes(ClusterInventory inventory)
    {
        ArgumentNullException.ThrowIfNull(inventory);
        var capacity = inventory.Capacity().ToDictionary(c => c.Node, StringComparer.Ordinal);
        return [.. inventory.Nodes.Snapshot().Select(n => Node(n, capacity.GetValueOrDefault(n.Name)))];
    }

    /// <summary>One node for the calculator; free is zero when the node is cordoned or not ready.</summary>
    public static FitNode Node(NodeInfo node, NodeCapacity? capacity)
    {
        ArgumentNullException.ThrowIfNull(node);
        return new FitNode(
            node.Name,
            node.Pool,
            node.Labels,
            [.. node.Taints.Select(NodeTaint.Parse).OfType<NodeTaint>()],
            node.Allocatable,
            capacity?.Free ?? ResourceAmounts.Zero);
    }
}
