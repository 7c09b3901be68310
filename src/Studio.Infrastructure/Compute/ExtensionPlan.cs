namespace Studio.Infrastructure.Compute;

/// <summary>Every object an install or update will create or change, and which path applies it.</summary>
public sealed record ExtensionPlan(string Cluster, string Path, IReadOnlyList<PlannedChange> Changes);
