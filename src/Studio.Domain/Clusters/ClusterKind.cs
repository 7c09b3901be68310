namespace Studio.Domain.Clusters;

/// <summary>How a cluster was registered.</summary>
public enum ClusterKind
{
    Sandbox = 0,
    Kubeconfig = 1,
    Aks = 2,
    Arc = 3,

    /// <summary>The cluster the studio runs in, reached with the studio's own service account (no stored credentials).</summary>
    InCluster = 4,
}
