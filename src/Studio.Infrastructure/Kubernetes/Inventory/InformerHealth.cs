namespace Studio.Infrastructure.Kubernetes.Inventory;

/// <summary>An informer's state since when, with the last problem in one sentence.</summary>
public sealed record InformerHealth(InformerState State, DateTimeOffset Since, string? Problem, DateTimeOffset? LastSyncedAt);
