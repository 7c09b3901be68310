namespace Studio.Domain.Endpoints;

/// <summary>What changed in an endpoint or deployment (flags: changes saved together are folded into one event).</summary>
[Flags]
public enum EndpointChange
{
    None = 0,
    Created = 1,
    State = 2,
    Settings = 4,
    Traffic = 8,
    Keys = 16,
    Replicas = 32,
}
