using Studio.Domain.Clusters;

namespace Studio.Infrastructure.Kubernetes.Inventory;

/// <summary>The slim projection of a Pod: where it runs and what it requests.</summary>
public sealed record PodInfo(string Namespace, string Name, string? NodeName, string Phase, ResourceAmounts Requests, DateTimeOffset? CreatedAt)
{
    /// <summary>Succeeded and Failed pods no longer hold their requests.</summary>
    public bool Terminated => Phase is "Succeeded" or "Failed";
}
