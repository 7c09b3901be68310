using Studio.Domain.Clusters;

namespace Studio.Domain.Jobs;

/// <summary>How one pool answers: nodes that match, instances that fit now and on empty nodes, the largest free block, and a plain sentence.</summary>
public sealed record PoolFitResult(string Pool, int Nodes, int FitNow, int FitEmpty, ResourceAmounts LargestFree, string? LargestFreeNode, string Explanation);
