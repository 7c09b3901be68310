using Studio.Domain.Clusters;

namespace Studio.Infrastructure.Clusters;

/// <summary>What registering a cluster from a kubeconfig takes. The kubeconfig is stored encrypted, never echoed.</summary>
public sealed record RegisterClusterRequest(
    string? Name,
    string? DisplayName,
    string? Kubeconfig,
    string? Context,
    ClusterKind Kind = ClusterKind.Kubeconfig,
    string? Source = null,
    bool SkipConnectionCheck = false);
