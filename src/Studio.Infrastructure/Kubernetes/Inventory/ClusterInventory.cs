using System.Collections.Concurrent;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Studio.Domain.Common;

namespace Studio.Infrastructure.Kubernetes.Inventory;

/// <summary>
/// The live inventory of one cluster: shared informers for nodes, pods and namespaces (warning events are listed on
/// demand), the capacity view built from them, and what the features contribute (<see cref="IInventoryContributor"/>):
/// their own informers, indexes on the shared ones, and per-cluster parts. One informer per (cluster, kind): a feature
/// that needs more of pods adds an index to <see cref="Pods"/>, never a second pod watch.
/// </summary>
public sealed partial class ClusterInventory : IAsyncDisposable
{
    private readonly List<ISharedInformer> _informers = [];
    private readonly ConcurrentDictionary<Type, object> _parts = new();
    private readonly ILogger _logger;
    private readonly TimeProvider _clock;
    private readonly SharedInformer<V1Pod, PodInfo> _pods;
    private volatile IKubernetes _client;
    private bool _started;

    public ClusterInventory(Guid clusterId, IKubernetes client, ILoggerFactory loggers, TimeProvider clock, IEnumerable<IInventoryContributor>? contributors = null)
    {
        ClusterId = clusterId;
        _client = client;
        _clock = clock;
        _logger = loggers.CreateLogger($"Studio.Informers.{clusterId:N}");
        Nodes = Add<V1Node, NodeInfo>(
            "nodes",
            async (c, token, ct) =>
            {
                var list = await c.CoreV1.ListNodeAsync(limit: 500, continueParameter: token, cancellationToken: ct);
                return (list.Items, list.Metadata?.ContinueProperty, list.Metadata?.ResourceVersion);
            },
            (c, rv, onError, ct) => c.CoreV1.WatchListNodeAsync(resourceVersion: rv, allowWatchBookmarks: true, onError: onError, cancellationToken: ct),
            Projections.ToInfo,
            raisesChanged: true);
        Pods = _pods = Add<V1Pod, PodInfo>(
            "pods",
            async (c, token, ct) =>
            {
                var list = await c.CoreV1.ListPodForAllNamespacesAsync(limit: 500, continueParameter: token, cancellationToken: ct);
                return (list.Items, list.Metadata?.ContinueProperty, list.Metadata?.ResourceVersion);
            },
            (c, rv, onError, ct) => c.CoreV1.WatchListPodForAllNamespacesAsync(resourceVersion: rv, allowWatchBookmarks: true, onError: onError, cancellationToken: ct),
            Projections.ToInfo,
            raisesChanged: true);
        Namespaces = Add<V1Namespace, string>(
            "namespaces",
            async (c, token, ct) =>
            {
                var list = await c.CoreV1.ListNamespaceAsync(limit: 500, continueParameter: token, cancellationToken: ct);
                return (list.Items, list.Metadata?.ContinueProperty, list.Metadata?.ResourceVersion);
            },
            (c, rv, onError, ct) => c.CoreV1.WatchListNamespaceAsync(resourceVersion: rv, allowWatchBookmarks: true, onError: onError, cancellationToken: ct),
            ns => ns.Metadata.Name,
            raisesChanged: true);
        Pods.Relisted += RebuildPodIndex;
        Pods.ItemChanged += OnPodChanged;
        foreach (var contributor in contributors ?? [])
        {
            contributor.Contribute(this);
        }
    }

    /// <summary>Lists one page of a kind with the inventory's current client.</summary>
    public delegate Task<(IList<TObject> Items, string? Continue, string? ResourceVersion)> ListWith<TObject>(IKubernetes client, string? continueToken, CancellationToken cancellationToken);

    /// <summary>Watches a kind from a resourceVersion with the inventory's current client.</summary>
    public delegate IAsyncEnumerable<(WatchEventType Type, TObject Object)> WatchWith<TObject>(IKubernetes client, string resourceVersion, Action<Exception> onError, CancellationToken cancellationToken);

    public Guid ClusterId { get; }

    public IInformer<NodeInfo> Nodes { get; }

    /// <summary>Every pod of the cluster: the one pod watch. Features that need other projections add an index (<see cref="AddPodIndex{TIndexed}"/>).</summary>
    public IInformer<PodInfo> Pods { get; }

    public IInformer<string> Namespaces { get; }

    /// <summary>Every informer of this cluster, the core ones and those features added, in start order.</summary>
    public IReadOnlyList<ISharedInformer> Informers => _informers;

    /// <summary>Raised on any change of nodes, pods, namespaces, or an informer added with <c>raisesChanged</c>. Subscribers coalesce; never render per event.</summary>
    public event Action? Changed;

    /// <summary>Raised when the inventory switches to a new client, before every informer lists again.</summary>
    public event Action? Reconnecting;

    /// <summary>Completes when nodes, pods and namespaces have each been listed once.</summary>
    public Task FirstSync => Task.WhenAll(Nodes.FirstSync, Pods.FirstSync, Namespaces.FirstSync);

    /// <summary>The worst informer state of nodes, pods and namespaces, with its problem and since-when.</summary>
    /// <remarks>An API server that stopped answering the heartbeat (<see cref="HeartbeatInterval"/>) makes it Degraded too.</remarks>
    public InformerHealth Health => WithHeartbeat(new[] { Nodes.Health, Pods.Health, Namespaces.Health }
        .OrderByDescending(h => h.State == InformerState.Degraded ? 2 : h.State == InformerState.Syncing ? 1 : 0)
        .ThenBy(h => h.Since)
        .First());

    /// <summary>
    /// Adds a shared informer of one more kind (before the inventory starts). Its list and watch get the inventory's
    /// current client, so it follows <see cref="Reconnect"/> like the core informers; it starts, restarts and stops with them.
    /// </summary>
    public IInformer<TProjection> AddInformer<TObject, TProjection>(string kind, ListWith<TObject> list, WatchWith<TObject> watch, Func<TObject, TProjection> project, bool raisesChanged = false)
        where TObject : IKubernetesObject<V1ObjectMeta> =>
        Add(kind, list, watch, project, raisesChanged);

    /// <summary>
    /// Adds an index of the pods that carry <paramref name="label"/>, with the projection a feature needs, fed by the one
    /// pod watch (before the inventory starts).
    /// </summary>
    public IInformer<TIndexed> AddPodIndex<TIndexed>(string kind, string label, Func<V1Pod, TIndexed> project) => _pods.AddLabelIndex(kind, label, project);

    private SharedInformer<TObject, TProjection> Add<TObject, TProjection>(string kind, ListWith<TObject> list, WatchWith<TObject> watch, Func<TObject, TProjection> project, bool raisesChanged)
        where TObject : IKubernetesObject<V1ObjectMeta>
    {
        if (_started)
        {
            throw new InvalidOperationException($"The inventory of cluster {ClusterId} has started: add the {kind} informer from an {nameof(IInventoryContributor)}.");
        }

        if (_informers.Any(i => i.Kind == kind))
        {
            throw new InvalidOperationException($"The inventory of cluster {ClusterId} already has a {kind} informer: one informer per (cluster, kind).");
        }

        var informer = new SharedInformer<TObject, TProjection>(kind, (token, ct) => list(_client, token, ct), (rv, onError, ct) => watch(_client, rv, onError, ct), project, _logger, _clock);
        _informers.Add(informer);
        if (raisesChanged)
        {
            informer.Changed += RaiseChanged;
        }

        return informer;
    }

    /// <summary>Keeps a feature's per-cluster state (its informers and indexes) with the inventory, one per type.</summary>
    public void AddPart<TPart>(TPart part)
        where TPart : class
    {
        if (!_parts.TryAdd(typeof(TPart), part))
        {
            throw new InvalidOperationException($"The inventory of cluster {ClusterId} already has a {typeof(TPart).Name}.");
        }
    }

    /// <summary>A feature's per-cluster part; throws when the feature's contributor is not registered.</summary>
    public TPart Part<TPart>()
        where TPart : class =>
        _parts.TryGetValue(typeof(TPart), out var part)
            ? (TPart)part
            : throw new InvalidOperationException($"The inventory of cluster {ClusterId} has no {typeof(TPart).Name}: register the feature's {nameof(IInventoryContributor)}.");

    public void Start()
    {
        _started = true;
        foreach (var informer in _informers)
        {
            informer.Start();
        }

        StartHeartbeat();
    }

    /// <summary>Recent Warning events, newest first (listed on demand, not watched), or why they could not be read.</summary>
    public async Task<Result<IReadOnlyList<EventInfo>>> RecentWarningsAsync(int count, CancellationToken cancellationToken)
    {
        try
        {
            var events = await _client.CoreV1.ListEventForAllNamespacesAsync(fieldSelector: "type=Warning", limit: 500, cancellationToken: cancellationToken);
            return Result<IReadOnlyList<EventInfo>>.Ok([.. events.Items.Select(Projections.ToInfo).OrderByDescending(e => e.LastSeen).Take(count)]);
        }
        catch (Exception ex) when (ex is HttpRequestException or k8s.Autorest.HttpOperationException)
        {
            return Error.Conflict("cluster_unavailable", ClusterProblems.Describe(ex));
        }
    }

    /// <summary>
    /// The events about one object (all types, newest first), listed on demand with an involvedObject field selector —
    /// never watched — or why they could not be read.
    /// </summary>
    public async Task<Result<IReadOnlyList<EventInfo>>> EventsAboutAsync(string kind, string name, string? ns, int count, CancellationToken cancellationToken)
    {
        try
        {
            var selector = $"involvedObject.kind={kind},involvedObject.name={name}";
            var events = ns is null
                ? await _client.CoreV1.ListEventForAllNamespacesAsync(fieldSelector: selector, limit: 500, cancellationToken: cancellationToken)
                : await _client.CoreV1.ListNamespacedEventAsync(ns, fieldSelector: selector, limit: 500, cancellationToken: cancellationToken);
            return Result<IReadOnlyList<EventInfo>>.Ok([.. events.Items.Select(Projections.ToInfo).OrderByDescending(e => e.LastSeen).Take(count)]);
        }
        catch (Exception ex) when (ex is HttpRequestException or k8s.Autorest.HttpOperationException)
        {
            return Error.Conflict("cluster_unavailable", ClusterProblems.Describe(ex));
        }
    }

    private void RaiseChanged() => Changed?.Invoke();

    /// <summary>
    /// Points every informer at <paramref name="client"/> (the cluster moved to a new address or its credentials were
    /// rotated) and lists again. The inventory object stays the same, so every page, hub pump and service holding a lease
    /// keeps following the cluster; the relists resync them as after any watch expiry.
    /// </summary>
    public void Reconnect(IKubernetes client)
    {
        ArgumentNullException.ThrowIfNull(client);
        _client = client;
        Reconnecting?.Invoke();
        foreach (var informer in _informers)
        {
            informer.Restart();
        }
    }

    public async ValueTask DisposeAsync()
    {
        Pods.Relisted -= RebuildPodIndex;
        Pods.ItemChanged -= OnPodChanged;
        Changed = null;
        await StopHeartbeatAsync();
        foreach (var informer in _informers.AsEnumerable().Reverse())
        {
            await informer.DisposeAsync();
        }

        foreach (var part in _parts.Values.OfType<IAsyncDisposable>())
        {
            await part.DisposeAsync();
        }
    }
}
