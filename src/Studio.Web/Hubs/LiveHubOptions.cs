namespace Studio.Web.Hubs;

/// <summary>Tuning of the live hub's transport (<c>Studio:Live:Hub</c>); the coalescing window is the live module's.</summary>
public sealed class LiveHubOptions
{
    public const string SectionName = "Studio:Live:Hub";

    /// <summary>How often a running subscription's authorization is checked again (membership removed → it ends).</summary>
    public TimeSpan RecheckInterval { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// Batches queued for a connection while its previous write is still in flight (references to shared messages, not
    /// copies); one more and the connection is behind: skipped until its write completes, then sent a fresh snapshot.
    /// 0: behind as soon as a batch finds the previous write unfinished.
    /// </summary>
    public int MaxBacklog { get; set; } = 8;

    /// <summary>
    /// Whether a batch for many connections is handed to them from several threads (slices of 128). Off by default: a
    /// hand-off is a copy into the connection's pipe and a flush (about 7 ms for 1,000 connections on the bench machine),
    /// and extra threads only compete with the transports' send loops on two cores.
    /// </summary>
    public bool ParallelDelivery { get; set; }
}
