namespace Studio.Infrastructure.Kubernetes;

/// <summary>The outcome of a connection check: reachability, TLS, version, and what the credentials may do.</summary>
public sealed record ConnectionReport(string Server, bool Reachable, string? ServerVersion, string? Problem, IReadOnlyList<PermissionCheck> Permissions, string? PermissionsNote)
{
    public bool Connected => Reachable && Problem is null;

    /// <summary>Registered clusters with the same API server: registering it again makes a second cluster of the same machines.</summary>
    public IReadOnlyList<string> AlreadyRegisteredAs { get; init; } = [];

    /// <summary>Features that will not work because a permission is denied.</summary>
    public IReadOnlyList<string> UnavailableFeatures => [.. Permissions.Where(p => p.Allowed == false).Select(p => p.Feature).Distinct()];
}
