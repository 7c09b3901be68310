using Studio.Domain.Clusters;

namespace Studio.Infrastructure.Kubernetes.Inventory;

/// <summary>The slim in-memory projection of a Node that the studio keeps (never the whole V1Node).</summary>
public sealed record NodeInfo(
    string Name,
    IReadOnlyDictionary<string, string> Labels,
    IReadOnlyList<string> Taints,
    bool Ready,
    bool Unschedulable,
    ResourceAmounts Capacity,
    ResourceAmounts Allocatable,
    int PodCapacity,
    string? KubeletVersion,
    DateTimeOffset? CreatedAt,
    string Pool,
    string? InstanceType,
    string? GpuProduct,
    IReadOnlyList<string> Roles)
{
    /// <summary>"Ready", "NotReady", "Ready,SchedulingDisabled" — as kubectl prints it.</summary>
    public string Status => (Ready ? "Ready" : "NotReady") + (Unschedulable ? ",SchedulingDisabled" : string.Empty);

    /// <summary>The node's conditions as the kubelet reports them (Ready, MemoryPressure, ...): a handful per node.</summary>
    public IReadOnlyList<NodeConditionInfo> Conditions { get; init; } = [];
}

/// <summary>One condition of a node: what the node page lists (the last heartbeat is left out: it changes every few seconds).</summary>
public sealed record NodeConditionInfo(string Type, string Status, string? Reason, string? Message, DateTimeOffset? LastTransition);
