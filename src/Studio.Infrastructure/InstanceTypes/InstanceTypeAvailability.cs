using Studio.Domain.InstanceTypes;

namespace Studio.Infrastructure.InstanceTypes;

/// <summary>
/// "Can I run this?" for one instance type, right now: how many nodes match, how many replicas fit in free capacity,
/// how many would fit on an empty cluster, and a one-line reason when it is not available.
/// </summary>
public sealed record InstanceTypeAvailability(
    InstanceType InstanceType,
    int MatchingNodes,
    int ReplicasFitNow,
    int ReplicasFitEmpty,
    AvailabilityBadge Badge,
    string? Reason);
