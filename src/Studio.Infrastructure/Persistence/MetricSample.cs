namespace Studio.Infrastructure.Persistence;

/// <summary>
/// One sampled point of a cluster's history: per node pool (requested vs allocatable, pods on its nodes by phase), and
/// one row per cluster with <see cref="Pool"/> = <see cref="ClusterTotal"/> (totals, plus the queue: pods not yet
/// scheduled).
/// </summary>
public sealed class MetricSample
{
    /// <summary>The pool name of a cluster-wide row.</summary>
    public const string ClusterTotal = "*";

    public long Id { get; set; }

    public Guid ClusterId { get; set; }

    public required string Pool { get; set; }

    public DateTimeOffset At { get; set; }

    public int Nodes { get; set; }

    public int ReadyNodes { get; set; }

    public long CpuRequestedMillis { get; set; }

    public long CpuAllocatableMillis { get; set; }

    public long MemoryRequestedBytes { get; set; }

    public long MemoryAllocatableBytes { get; set; }

    public long GpusRequested { get; set; }

    public long GpusAllocatable { get; set; }

    public int PodsPending { get; set; }

    public int PodsRunning { get; set; }

    public int PodsSucceeded { get; set; }

    public int PodsFailed { get; set; }

    /// <summary>Pods waiting for a node (cluster rows); 0 on pool rows.</summary>
    public int Queued { get; set; }
}
