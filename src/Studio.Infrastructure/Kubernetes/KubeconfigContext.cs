namespace Studio.Infrastructure.Kubernetes;

/// <summary>
/// One context of an inspected kubeconfig. <paramref name="InsecureTls"/>: the cluster turns TLS verification off
/// (accepted only when an administrator allows it, and shown as a warning).
/// </summary>
public sealed record KubeconfigContext(string Name, string Cluster, string User, string Server, string? Namespace, string AuthKind, bool InsecureTls = false);
