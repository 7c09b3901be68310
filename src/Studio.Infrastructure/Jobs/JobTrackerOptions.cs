namespace Studio.Infrastructure.Jobs;

/// <summary>Knobs of the job tracker (<c>Studio:Jobs:Tracker</c>).</summary>
public sealed class JobTrackerOptions
{
    public const string SectionName = "Studio:Jobs:Tracker";

    /// <summary>How often the tracker looks for clusters with unfinished jobs and re-checks every unfinished job.</summary>
    public TimeSpan ScanInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// How long after a job finished (its last change) this replica still publishes it when another replica wrote the
    /// end, and remembers what it published about it.
    /// </summary>
    public TimeSpan PublishedMemory { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>A job is treated as deleted when its Job object is absent this long after submit (the informer has caught up by then).</summary>
    public TimeSpan MissingGrace { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a burst of watch events settles before the tracker writes what changed (one transaction for the batch).</summary>
    public TimeSpan BatchDelay { get; set; } = TimeSpan.FromMilliseconds(50);

    /// <summary>How often a replica that does not lead reads the job records the leader changed (and publishes them to its pages and hub clients).</summary>
    public TimeSpan FollowInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How far back each of those reads looks (a change is stamped before its batch commits, by the writer's clock).</summary>
    public TimeSpan FollowLookBack { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Most jobs written in one batch.</summary>
    public int MaxBatch { get; set; } = 256;
}
