namespace Studio.Infrastructure.Kubernetes;

/// <summary>One context of an inspected kubeconfig.</summary>
public sealed record KubeconfigContext(string Name, string Cluster, string User, string Server, string? Namespace, string AuthKind);
