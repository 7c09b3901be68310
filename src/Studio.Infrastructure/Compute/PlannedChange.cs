namespace Studio.Infrastructure.Compute;

/// <summary>One line of an install plan: the object, what applying it does, and its YAML preview.</summary>
public sealed record PlannedChange(string ApiVersion, string Kind, string? Namespace, string Name, PlanAction Action, string Yaml);
