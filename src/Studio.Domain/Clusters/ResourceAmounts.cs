namespace Studio.Domain.Clusters;

/// <summary>An amount of the resources ML scheduling cares about: CPU (millicores), memory (bytes) and NVIDIA GPUs.</summary>
public readonly record struct ResourceAmounts(long CpuMillis, long MemoryBytes, long Gpus)
{
    public static ResourceAmounts Zero => default;

    public static ResourceAmounts operator +(ResourceAmounts a, ResourceAmounts b) =>
        new(a.CpuMillis + b.CpuMillis, a.MemoryBytes + b.MemoryBytes, a.Gpus + b.Gpus);

    public static ResourceAmounts operator -(ResourceAmounts a, ResourceAmounts b) =>
        new(a.CpuMillis - b.CpuMillis, a.MemoryBytes - b.MemoryBytes, a.Gpus - b.Gpus);

    /// <summary>Never below zero in any dimension (requests can exceed allocatable on a node that shrank).</summary>
    public ResourceAmounts AtLeastZero() => new(Math.Max(0, CpuMillis), Math.Max(0, MemoryBytes), Math.Max(0, Gpus));

    /// <summary>Whether <paramref name="request"/> fits in this amount in every dimension.</summary>
    public bool Fits(ResourceAmounts request) => request.CpuMillis <= CpuMillis && request.MemoryBytes <= MemoryBytes && request.Gpus <= Gpus;
}
