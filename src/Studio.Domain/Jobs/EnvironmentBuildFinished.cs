using Studio.Domain.Common;

namespace Studio.Domain.Jobs;

/// <summary>An environment build ended (<see cref="EnvironmentBuildState.Succeeded"/> or <see cref="EnvironmentBuildState.Failed"/>).</summary>
public sealed record EnvironmentBuildFinished(Guid BuildId, string Image, EnvironmentBuildState State, string? Failure, DateTimeOffset At) : IDomainEvent;
