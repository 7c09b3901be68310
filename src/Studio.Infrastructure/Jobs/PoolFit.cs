using Studio.Domain.Clusters;

namespace Studio.Infrastructure.Jobs;

/// <summary>
/// How one node pool matching the instance type's nodeSelector answers the job: nodes, instances that fit now and when
/// empty, the largest free block, and a plain sentence ("needs 4 GPUs per pod; largest free block is 2 on gpu-a100-0").
/// </summary>
public sealed record PoolFit(string Pool, int Nodes, int InstancesFitNow, int InstancesFitEmpty, ResourceAmounts LargestFree, string? LargestFreeNode, string Explanation);
