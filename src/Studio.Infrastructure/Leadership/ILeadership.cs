namespace Studio.Infrastructure.Leadership;

/// <summary>
/// Which studio replica runs the once-per-deployment loops (job tracker, history sampler, reconcilers). One replica leads
/// at a time; the others wait and take over when it dies or stops.
/// </summary>
public interface ILeadership
{
    /// <summary>This replica's name in the election (pod name, or host and process id).</summary>
    string Identity { get; }

    /// <summary>How the leader is chosen (e.g. "PostgreSQL advisory lock", "Kubernetes Lease studio/studio-leader").</summary>
    string Mechanism { get; }

    /// <summary>True while this replica leads.</summary>
    bool IsLeader { get; }

    /// <summary>
    /// Completes when this replica leads (at once when it already does), with a token that is canceled when it stops
    /// leading (the lock or lease lost, or released at shutdown).
    /// </summary>
    Task<CancellationToken> WaitForTermAsync(CancellationToken cancellationToken);
}
