using Studio.Domain.Jobs;

namespace Studio.Infrastructure.Jobs;

/// <summary>The slim projection of a Studio training Job (batch/v1) the shared informer keeps.</summary>
public sealed record JobObjectInfo(
    string Namespace,
    string Name,
    string Uid,
    string? Workspace,
    IReadOnlyList<JobConditionObservation> Conditions,
    int Active,
    int Ready,
    int Succeeded,
    int Failed,
    int Completions,
    DateTimeOffset? StartedAt,
    DateTimeOffset? CompletedAt,
    string? WorkspaceId = null);
