namespace Studio.Infrastructure.Kubernetes.Inventory;

/// <summary>
/// What readers see of a shared informer or of an index on one: slim projections, never KubernetesClient models, kept
/// current by one list+watch per (cluster, kind).
/// </summary>
public interface IInformer<TProjection>
{
    string Kind { get; }

    InformerHealth Health { get; }

    int Count { get; }

    /// <summary>Completes after the first full list.</summary>
    Task FirstSync { get; }

    /// <summary>Raised after each applied change (or relist): handlers must be quick.</summary>
    event Action? Changed;

    /// <summary>Raised for each applied change with the old and new projection (null when absent), before <see cref="Changed"/>.</summary>
    event Action<TProjection?, TProjection?>? ItemChanged;

    /// <summary>Raised after a full relist replaced the state; derived indexes rebuild here.</summary>
    event Action? Relisted;

    IReadOnlyCollection<TProjection> Snapshot();

    /// <summary>The projection under <c>namespace/name</c> (or <c>name</c> for a cluster-scoped kind).</summary>
    bool TryGet(string key, out TProjection? value);
}
