namespace Studio.Infrastructure.Kubernetes.Inventory;

/// <summary>A recent Warning event, as the cluster page lists them.</summary>
public sealed record EventInfo(string Namespace, string Name, string Reason, string Message, string InvolvedKind, string InvolvedName, int Count, DateTimeOffset? LastSeen);
