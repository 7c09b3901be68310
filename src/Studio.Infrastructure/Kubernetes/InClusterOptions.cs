namespace Studio.Infrastructure.Kubernetes;

/// <summary>
/// <c>Studio:InCluster</c>: registering the cluster the studio runs in, reached with the service account of its own pod
/// (the token, CA and namespace files the kubelet mounts, and <c>KUBERNETES_SERVICE_HOST</c>/<c>PORT</c>), no kubeconfig.
/// </summary>
public sealed class InClusterOptions
{
    public const string SectionName = "Studio:InCluster";

    /// <summary>The path Kubernetes mounts a pod's service account at.</summary>
    public const string DefaultServiceAccountPath = "/var/run/secrets/kubernetes.io/serviceaccount";

    /// <summary>Register (or update) the cluster at start-up, on the replica that leads. <remarks>Defaults to false.</remarks></summary>
    public bool Register { get; set; }

    /// <summary>The registered cluster's name (a DNS-1123 label).</summary>
    public string Name { get; set; } = "in-cluster";

    /// <summary>What pages show for it; defaults to "This cluster (the studio's own)".</summary>
    public string? DisplayName { get; set; }

    /// <summary>The folder with <c>token</c>, <c>ca.crt</c> and <c>namespace</c>.</summary>
    public string ServiceAccountPath { get; set; } = DefaultServiceAccountPath;

    /// <summary>The API server's host; defaults to the environment variable <c>KUBERNETES_SERVICE_HOST</c>.</summary>
    public string? Host { get; set; }

    /// <summary>The API server's port; defaults to the environment variable <c>KUBERNETES_SERVICE_PORT</c>.</summary>
    public int? Port { get; set; }
}
