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
}
