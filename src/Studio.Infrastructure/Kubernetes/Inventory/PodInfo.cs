using Studio.Domain.Clusters;

namespace Studio.Infrastructure.Kubernetes.Inventory;

/// <summary>The slim projection of a Pod: where it runs and what it requests.</summary>
public sealed record PodInfo(string Namespace, string Name, string? NodeName, string Phase, ResourceAmounts Requests, DateTimeOffset? CreatedAt)
{
    /// <summary>The Kubernetes Job that owns the pod (label <c>batch.kubernetes.io/job-name</c> or <c>job-name</c>).</summary>
    public string? JobName { get; init; }

    /// <summary>The online endpoint the pod serves (label <c>studio.io/endpoint</c>).</summary>
    public string? EndpointName { get; init; }

    /// <summary>Succeeded and Failed pods no longer hold their requests.</summary>
    public bool Terminated => Phase is "Succeeded" or "Failed";
}
