namespace Studio.Domain.Endpoints;

/// <summary>One step of an endpoint's or deployment's timeline: the state it entered, when, and why.</summary>
public sealed record EndpointTransition(EndpointState State, DateTimeOffset At, string? Reason = null);
