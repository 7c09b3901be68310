namespace Studio.Infrastructure.Live;

/// <summary>A job record's status as live clients see it (from the studio database, published when it changes).</summary>
public sealed record LiveJob(
    string Workspace,
    string Name,
    string ComputeTarget,
    string State,
    DateTimeOffset SubmittedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    string? Reason);
