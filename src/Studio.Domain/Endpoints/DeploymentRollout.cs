namespace Studio.Domain.Endpoints;

/// <summary>
/// A deployment's Kubernetes Deployment as the tracker reads it: replicas asked, ready, updated to the latest template
/// and in total (old and new during a rollout), whether the controller has seen the latest spec, and whether it gave
/// up (<c>ProgressDeadlineExceeded</c>).
/// </summary>
public sealed record DeploymentRollout(int Desired, int Ready, int Updated, int Total, bool SpecObserved, bool DeadlineExceeded = false, string? DeadlineMessage = null)
{
    /// <summary>Every replica runs the latest template and is ready, and no old replica is left.</summary>
    public bool Complete => SpecObserved && Updated >= Desired && Ready >= Desired && Total <= Desired;
}
