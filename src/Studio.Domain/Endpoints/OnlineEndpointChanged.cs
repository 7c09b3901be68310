using Studio.Domain.Common;

namespace Studio.Domain.Endpoints;

/// <summary>An online endpoint changed in a way users see; one per endpoint per save, dispatched after the save.</summary>
public sealed record OnlineEndpointChanged(
    Guid EndpointId,
    Guid WorkspaceId,
    string Endpoint,
    EndpointState State,
    EndpointState? PreviousState,
    string? Reason,
    EndpointChange Change,
    DateTimeOffset At) : IDomainEvent;
