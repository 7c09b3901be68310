namespace Studio.Infrastructure.Monitoring;

/// <summary>One job's facts for the workload panels: where it ran, its state and reason, and when it was queued, started and ended.</summary>
public sealed record WorkloadJob(string Workspace, string Compute, string State, string? Reason, DateTimeOffset CreatedAt, DateTimeOffset? StartedAt, DateTimeOffset? EndedAt);
