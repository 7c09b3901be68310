namespace Studio.Domain.Clusters;

/// <summary>How a cluster was registered.</summary>
public enum ClusterKind
{
    Sandbox = 0,
    Kubeconfig = 1,
    Aks = 2,
    Arc = 3,
}
