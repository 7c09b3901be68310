namespace Studio.Infrastructure.Jobs;

/// <summary>Settings of training jobs (<c>Studio:Jobs</c>).</summary>
public sealed class JobsOptions
{
    public const string SectionName = "Studio:Jobs";

    /// <summary>How much of each pod's log is kept in the studio database when the pod ends (KiB).</summary>
    public int LogTailKiB { get; set; } = 64;

    /// <summary>Events kept per job in the record.</summary>
    public int MaxEventsPerJob { get; set; } = 200;

    /// <summary>The port of the PyTorch rendezvous (MASTER_PORT) and of TensorFlow/MPI workers.</summary>
    public int RendezvousPort { get; set; } = 29500;

    /// <summary>The Kueue LocalQueue distributed jobs are labelled with when the cluster runs Kueue.</summary>
    public string KueueQueue { get; set; } = "default";

    /// <summary>
    /// How long a submit may wait for its objects' apply when a worker of the cluster is free for it (then a refusal
    /// answers Failed at once). Zero (the default): a submit answers as soon as its record is stored as Queued, and a
    /// refusal fails the job shortly after; behind other applies a submit never waits.
    /// </summary>
    public TimeSpan ApplyWait { get; set; } = TimeSpan.Zero;

    /// <summary>Applies of submitted jobs running at once per cluster (they share the cluster's request budget).</summary>
    public int ApplyConcurrency { get; set; } = 4;
}
