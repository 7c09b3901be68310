namespace Studio.Infrastructure.Compute;

/// <summary>
/// Every object an install or update will create or change and which path applies it; <see cref="Warnings"/> carries
/// Azure ML's update rules that the change breaks; <see cref="ArmConfigurationSettings"/> is the same install mapped to
/// the Azure ML extension's settings, for clusters registered from Azure (null otherwise).
/// </summary>
public sealed record ExtensionPlan(string Cluster, string Path, IReadOnlyList<PlannedChange> Changes)
{
    public IReadOnlyList<string> Warnings { get; init; } = [];

    public IReadOnlyDictionary<string, string>? ArmConfigurationSettings { get; init; }
}
