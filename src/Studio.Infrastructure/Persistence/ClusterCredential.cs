namespace Studio.Infrastructure.Persistence;

/// <summary>A cluster's kubeconfig, encrypted with ASP.NET Core Data Protection. Never returned, logged or rendered.</summary>
public sealed class ClusterCredential
{
    public Guid ClusterId { get; set; }

    /// <summary>The protected (encrypted, base64url) single-context kubeconfig.</summary>
    public required string ProtectedKubeconfig { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}
