namespace Studio.Infrastructure.Live;

/// <summary>
/// What a person may watch live: the clusters (null: all — an administrator), the workspace using each compute target's
/// namespace ("another workspace" where the person is not a member), and the workspaces the person may see.
/// </summary>
public sealed record LiveVisibility(
    IReadOnlySet<Guid>? Clusters,
    IReadOnlyDictionary<(Guid Cluster, string Namespace), string> Owners,
    IReadOnlyList<string> Workspaces);
