using Studio.Domain.Clusters;

namespace Studio.Infrastructure.Kubernetes.Inventory;

/// <summary>The slim projection of a Pod: where it runs and what it requests.</summary>
public sealed record PodInfo(string Namespace, string Name, string? NodeName, string Phase, ResourceAmounts Requests, DateTimeOffset? CreatedAt)
{
    /// <summary>The Kubernetes Job that owns the pod (label <c>batch.kubernetes.io/job-name</c> or <c>job-name</c>).</summary>
    public string? JobName { get; init; }

    /// <summary>The online endpoint the pod serves (label <c>studio.io/endpoint</c>).</summary>
    public string? EndpointName { get; init; }

    /// <summary>Container restarts, summed over the pod's containers (init containers included).</summary>
    public int Restarts { get; init; }

    /// <summary>The kind of the pod's controller (ReplicaSet, Job, StatefulSet, DaemonSet, ...), or null for a bare pod.</summary>
    public string? OwnerKind { get; init; }

    /// <summary>The name of the pod's controller.</summary>
    public string? OwnerName { get; init; }

    /// <summary>Succeeded and Failed pods no longer hold their requests.</summary>
    public bool Terminated => Phase is "Succeeded" or "Failed";
}
