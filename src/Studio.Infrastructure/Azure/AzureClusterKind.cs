namespace Studio.Infrastructure.Azure;

/// <summary>The two Azure resource types that hold a Kubernetes cluster the studio can import.</summary>
public enum AzureClusterKind
{
    /// <summary><c>Microsoft.ContainerService/managedClusters</c>.</summary>
    Aks,

    /// <summary><c>Microsoft.Kubernetes/connectedClusters</c> (Azure Arc-enabled Kubernetes).</summary>
    Arc,
}
