using Studio.Domain.Clusters;

namespace Studio.Infrastructure.Kubernetes.Inventory;

/// <summary>One node pool: nodes, readiness, capacity, GPUs (total, allocated, free, largest free block on one node).</summary>
public sealed record PoolSummary(
    string Name,
    int Nodes,
    int ReadyNodes,
    string? InstanceType,
    string? GpuProduct,
    ResourceAmounts Allocatable,
    ResourceAmounts Requested,
    long GpusFree,
    long LargestFreeGpuBlock);
