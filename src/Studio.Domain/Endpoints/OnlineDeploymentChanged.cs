using Studio.Domain.Common;

namespace Studio.Domain.Endpoints;

/// <summary>A deployment changed in a way users see (state, reason, ready replicas, settings); one per deployment per save, dispatched after the save.</summary>
public sealed record OnlineDeploymentChanged(
    Guid DeploymentId,
    Guid EndpointId,
    Guid WorkspaceId,
    string Endpoint,
    string Deployment,
    EndpointState State,
    EndpointState? PreviousState,
    string? Reason,
    int ReadyReplicas,
    int DesiredReplicas,
    EndpointChange Change,
    DateTimeOffset At) : IDomainEvent;
