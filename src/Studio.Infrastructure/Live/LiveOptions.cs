namespace Studio.Infrastructure.Live;

/// <summary>Tuning of the live module (<c>Studio:Live</c>): how changes are coalesced and how long a subscribe waits.</summary>
public sealed class LiveOptions
{
    public const string SectionName = "Studio:Live";

    /// <summary>
    /// The coalescing window: a subscriber gets at most one batch per window (pages render at most once per window, the
    /// hub sends at most one update per scope per window), and the shared per-cluster view is recomputed at most once per
    /// window.
    /// </summary>
    public TimeSpan BatchWindow { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// Distinct objects a subscriber may have pending; one more and its backlog is dropped and its next batch is a fresh
    /// snapshot (a slow subscriber never grows memory without bound).
    /// </summary>
    public int SubscriberCapacity { get; set; } = 10_000;

    /// <summary>How long a subscribe waits for a cluster's first list before sending what it has.</summary>
    public TimeSpan FirstSyncWait { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How often job-record changes refresh the monitoring pages' workload panels at most.</summary>
    public TimeSpan WorkloadRefresh { get; set; } = TimeSpan.FromSeconds(1);
}
