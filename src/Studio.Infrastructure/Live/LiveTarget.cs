namespace Studio.Infrastructure.Live;

/// <summary>
/// An authorized scope, resolved to what feeds it: the clusters whose inventories it needs, the broadcaster keys it
/// listens to, and which changes of those keys belong to it.
/// </summary>
public sealed record LiveTarget(LiveScope Scope, IReadOnlyList<Guid> Clusters, IReadOnlyList<(Guid Cluster, string Namespace)> Namespaces)
{
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
        LiveScopeKind.Job => change.Value?.Pod?.JobName == Scope.Item || (change.Value?.Job is { } job && job.Name == Scope.Item),
        LiveScopeKind.Endpoint => change.Value?.Pod?.EndpointName == Scope.Item,
        _ => true,
    };
}
