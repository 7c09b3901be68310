using Studio.Domain.Clusters;

namespace Studio.Domain.InstanceTypes;

/// <summary>
/// A node as the fit calculator sees it: labels and taints (for placement), allocatable (what an empty node offers)
/// and free (allocatable minus the requests of the pods on it now; zero when the node is cordoned or not ready).
/// </summary>
public sealed record FitNode(
    string Name,
    string Pool,
    IReadOnlyDictionary<string, string> Labels,
    IReadOnlyList<NodeTaint> Taints,
    ResourceAmounts Allocatable,
    ResourceAmounts Free);
