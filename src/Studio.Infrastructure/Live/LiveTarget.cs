namespace Studio.Infrastructure.Live;

/// <summary>
/// An authorized scope, resolved to what feeds it: the clusters whose inventories it needs, the broadcaster keys it
/// listens to, and which changes of those keys belong to it. A cluster scope carries every node (capacity) and the pods
/// of <see cref="Namespaces"/> only, unless <see cref="EveryNamespace"/> (administrators): a member of a workspace with
/// compute on the cluster never sees another workspace's pods or job names.
/// </summary>
public sealed record LiveTarget(LiveScope Scope, IReadOnlyList<Guid> Clusters, IReadOnlyList<(Guid Cluster, string Namespace)> Namespaces)
{
    /// <summary>For job scopes: the Kubernetes name of the job's objects (its pods' job-name label), when it has a record.</summary>
    public string? JobObjectName { get; init; }

    /// <summary>For cluster scopes: whether the pods of every namespace belong to it (administrators).</summary>
    public bool EveryNamespace { get; init; }

    /// <summary>
    /// What subscribers may share one feed by: the scope, its keys and, for a cluster scope limited to some namespaces,
    /// those namespaces (two members of different workspaces on one cluster never share a feed).
    /// </summary>
    public string ShareKey => Scope.Kind == LiveScopeKind.Cluster && !EveryNamespace
        ? $"{Scope}|{string.Join(",", Keys)}|{string.Join(",", Namespaces.Select(n => $"{n.Cluster:N}/{n.Namespace}").Order(StringComparer.Ordinal))}"
        : $"{Scope}|{string.Join(",", Keys)}";

    /// <summary>
    /// Broadcaster keys fed by the shared informers: the whole cluster for cluster scopes, else one key per namespace.
    /// </summary>
    public IReadOnlyList<string> InformerKeys => Scope.Kind == LiveScopeKind.Cluster
        ? [.. Clusters.Select(LiveFeeds.ClusterKey)]
        : [.. Namespaces.Select(n => LiveFeeds.NamespaceKey(n.Cluster, n.Namespace)).Distinct(StringComparer.Ordinal)];

    /// <summary>Every broadcaster key of the scope: <see cref="InformerKeys"/>, and the workspace's job records for workspace and job scopes.</summary>
    public IReadOnlyList<string> Keys => Scope.Kind is LiveScopeKind.Workspace or LiveScopeKind.Job
        ? [.. InformerKeys, LiveFeeds.JobsKey(Scope.Name)]
        : InformerKeys;

    /// <summary>The same scope limited to its job records (no pods): what the job pages follow.</summary>
    public LiveTarget JobsOnly() => this with { Clusters = [], Namespaces = [] };

    /// <summary>Whether a change on one of <see cref="Keys"/> belongs to this scope.</summary>
    public bool Includes(LiveChange<LiveObject> change) => Scope.Kind switch
    {
        LiveScopeKind.Cluster => EveryNamespace || change.Value?.Pod is not { } pod || Namespaces.Any(n => n.Namespace == pod.Namespace),
        LiveScopeKind.Job => change.Value?.Pod?.JobName == (JobObjectName ?? Scope.Item) || (change.Value?.Job is { } job && job.Name == Scope.Item),
        LiveScopeKind.Endpoint => change.Value?.Pod?.EndpointName == Scope.Item,
        _ => true,
    };
}
