using Studio.Domain.Clusters;

namespace Studio.Infrastructure.Clusters;

/// <summary>A registered cluster as pages and the API show it (never its credentials).</summary>
public sealed record ClusterSummary(
    Guid Id,
    string Name,
    string? DisplayName,
    ClusterKind Kind,
    string Server,
    string? Source,
    IReadOnlyDictionary<string, string> Labels,
    DateTimeOffset RegisteredAt,
    DateTimeOffset? CredentialsRotatedAt,
    IReadOnlyList<string> Workspaces,
    IReadOnlyList<string> ComputeTargets)
{
    public string Title => DisplayName ?? Name;

    public static ClusterSummary From(Cluster cluster, IReadOnlyList<string> workspaces, IReadOnlyList<string> computeTargets) => new(
        cluster.Id, cluster.Name, cluster.DisplayName, cluster.Kind, cluster.Server, cluster.Source,
        cluster.Labels, cluster.RegisteredAt, cluster.CredentialsRotatedAt, workspaces, computeTargets);
}
