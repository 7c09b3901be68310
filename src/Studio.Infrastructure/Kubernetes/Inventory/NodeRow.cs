using Studio.Domain.Clusters;

namespace Studio.Infrastructure.Kubernetes.Inventory;

/// <summary>A node with what its pods request: one row of the nodes grid.</summary>
public sealed record NodeRow(NodeInfo Node, ResourceAmounts Requested, ResourceAmounts Free, int Pods);
