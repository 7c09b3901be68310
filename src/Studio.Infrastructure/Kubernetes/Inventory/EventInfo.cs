namespace Studio.Infrastructure.Kubernetes.Inventory;

/// <summary>An event about an object, as the cluster and node pages list them.</summary>
public sealed record EventInfo(string Namespace, string Name, string Reason, string Message, string InvolvedKind, string InvolvedName, int Count, DateTimeOffset? LastSeen)
{
    /// <summary>Normal or Warning.</summary>
    public string Type { get; init; } = "Normal";
}
