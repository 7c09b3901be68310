namespace Studio.Domain.Endpoints;

/// <summary>
/// What the cluster shows of a deployment's objects, as the tracker reads them: replicas desired and ready, whether the
/// rollout of the latest spec is complete, and a failure the pods show (an Azure ML reason from <see cref="DeploymentFailure"/>).
/// </summary>
public sealed record DeploymentObservation(int Desired, int Ready, bool RolloutComplete, string? FailureReason = null, string? FailureMessage = null);
