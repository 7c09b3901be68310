namespace Studio.Domain.InstanceTypes;

/// <summary>Per node pool totals of a fit report (eligible nodes only).</summary>
public sealed record PoolFit(string Pool, int MatchingNodes, int ReplicasFitNow, int ReplicasFitEmpty, long FreeGpus);
