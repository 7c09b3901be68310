namespace Studio.Infrastructure.Leadership;

/// <summary>One way of electing a leader among replicas (a database lock, a Kubernetes Lease).</summary>
public interface ILeaderElector
{
    string Identity { get; }

    string Mechanism { get; }

    /// <summary>
    /// Tries to lead until <paramref name="cancellationToken"/> is canceled: calls <paramref name="started"/> when this
    /// replica takes the lead and <paramref name="stopped"/> when it loses it, then tries again. On cancellation it
    /// releases the lead (so another replica takes over at once) and returns.
    /// </summary>
    Task RunAsync(Action started, Action stopped, CancellationToken cancellationToken);
}
