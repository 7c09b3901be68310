using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Studio.Domain.Clusters;
using Studio.Domain.Common;
using Studio.Infrastructure.InstanceTypes;
using Studio.Infrastructure.Jobs;

namespace Studio.Infrastructure.Kubernetes.Inventory;

/// <summary>
/// The live inventory of one cluster: shared informers for nodes, pods, namespaces and instance types (warning events
/// are listed on demand), and the capacity view built from them.
/// </summary>
public sealed class ClusterInventory : IAsyncDisposable
{
    private volatile IKubernetes _client;

    public ClusterInventory(Guid clusterId, IKubernetes client, ILoggerFactory loggers, TimeProvider clock)
    {
        ClusterId = clusterId;
        _client = client;
        var logger = loggers.CreateLogger($"Studio.Informers.{clusterId:N}");
        Nodes = new SharedInformer<V1Node, NodeInfo>(
            "nodes",
            async (token, ct) =>
            {
                var list = await _client.CoreV1.ListNodeAsync(limit: 500, continueParameter: token, cancellationToken: ct);
                return (list.Items, list.Metadata?.ContinueProperty, list.Metadata?.ResourceVersion);
            },
            (rv, onError, ct) => _client.CoreV1.WatchListNodeAsync(resourceVersion: rv, allowWatchBookmarks: true, onError: onError, cancellationToken: ct),
            Projections.ToInfo,
            logger,
            clock);
        Pods = new SharedInformer<V1Pod, PodInfo>(
            "pods",
            async (token, ct) =>
            {
                var list = await _client.CoreV1.ListPodForAllNamespacesAsync(limit: 500, continueParameter: token, cancellationToken: ct);
                return (list.Items, list.Metadata?.ContinueProperty, list.Metadata?.ResourceVersion);
            },
            (rv, onError, ct) => _client.CoreV1.WatchListPodForAllNamespacesAsync(resourceVersion: rv, allowWatchBookmarks: true, onError: onError, cancellationToken: ct),
            Projections.ToInfo,
            logger,
            clock);
        Namespaces = new SharedInformer<V1Namespace, string>(
            "namespaces",
            async (token, ct) =>
            {
                var list = await _client.CoreV1.ListNamespaceAsync(limit: 500, continueParameter: token, cancellationToken: ct);
                return (list.Items, list.Metadata?.ContinueProperty, list.Metadata?.ResourceVersion);
            },
            (rv, onError, ct) => _client.CoreV1.WatchListNamespaceAsync(resourceVersion: rv, allowWatchBookmarks: true, onError: onError, cancellationToken: ct),
            ns => ns.Metadata.Name,
            logger,
            clock);
        InstanceTypes = new SharedInformer<InstanceTypeResource, InstanceTypeEntry>(
            "instancetypes",
            ListInstanceTypesAsync,
            WatchInstanceTypes,
            InstanceTypeManifest.ToEntry,
            logger,
            clock);
        Jobs = new SharedInformer<V1Job, JobObjectInfo>(
            "jobs",
            async (token, ct) =>
            {
                var list = await _client.BatchV1.ListJobForAllNamespacesAsync(labelSelector: JobManifests.Selector, limit: 500, continueParameter: token, cancellationToken: ct);
                return (list.Items, list.Metadata?.ContinueProperty, list.Metadata?.ResourceVersion);
            },
            (rv, onError, ct) => _client.BatchV1.WatchListJobForAllNamespacesAsync(labelSelector: JobManifests.Selector, resourceVersion: rv, allowWatchBookmarks: true, onError: onError, cancellationToken: ct),
            JobProjections.ToInfo,
            logger,
            clock);
        JobPods = new SharedInformer<V1Pod, JobPodInfo>(
            "job-pods",
            async (token, ct) =>
            {
                var list = await _client.CoreV1.ListPodForAllNamespacesAsync(labelSelector: JobManifests.Selector, limit: 500, continueParameter: token, cancellationToken: ct);
                return (list.Items, list.Metadata?.ContinueProperty, list.Metadata?.ResourceVersion);
            },
            (rv, onError, ct) => _client.CoreV1.WatchListPodForAllNamespacesAsync(labelSelector: JobManifests.Selector, resourceVersion: rv, allowWatchBookmarks: true, onError: onError, cancellationToken: ct),
            JobProjections.ToInfo,
            logger,
            clock);
        Pods.Relisted += RebuildPodIndex;
        Pods.ItemChanged += OnPodChanged;
        Nodes.Changed += RaiseChanged;
        Pods.Changed += RaiseChanged;
        Namespaces.Changed += RaiseChanged;
        InstanceTypes.Changed += RaiseChanged;
    }

    public Guid ClusterId { get; }

    public SharedInformer<V1Node, NodeInfo> Nodes { get; }

    public SharedInformer<V1Pod, PodInfo> Pods { get; }

    public SharedInformer<V1Namespace, string> Namespaces { get; }

    /// <summary>
    /// The cluster's InstanceType resources (<c>amlarc.azureml.com/v1alpha1</c>, cluster-scoped). While the CRD is missing
    /// (extension not installed) this is empty, <see cref="InstanceTypesInstalled"/> is false, and the informer checks
    /// again every <see cref="CrdPollInterval"/>. Not part of <see cref="Health"/> or <see cref="FirstSync"/>.
    /// </summary>
    public SharedInformer<InstanceTypeResource, InstanceTypeEntry> InstanceTypes { get; }

    /// <summary>Whether the InstanceType CRD exists (null until the first list answered).</summary>
    public bool? InstanceTypesInstalled { get; private set; }

    /// <summary>How often a missing InstanceType CRD is looked for again.</summary>
    public TimeSpan CrdPollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Studio training Jobs (label <c>studio.io/job</c>), all namespaces.</summary>
    public SharedInformer<V1Job, JobObjectInfo> Jobs { get; }

    /// <summary>
    /// The pods of Studio training jobs (label <c>studio.io/job</c>) with container states and reasons — the detail the
    /// status mapping needs and the cluster-wide <see cref="Pods"/> projection does not keep.
    /// </summary>
    public SharedInformer<V1Pod, JobPodInfo> JobPods { get; }

    /// <summary>Raised on any change of nodes, pods or namespaces. Subscribers coalesce; never render per event.</summary>
    public event Action? Changed;

    /// <summary>Completes when nodes, pods and namespaces have each been listed once.</summary>
    public Task FirstSync => Task.WhenAll(Nodes.FirstSync, Pods.FirstSync, Namespaces.FirstSync);

    /// <summary>The worst informer state, with its problem and since-when.</summary>
    public InformerHealth Health => new[] { Nodes.Health, Pods.Health, Namespaces.Health }
        .OrderByDescending(h => h.State == InformerState.Degraded ? 2 : h.State == InformerState.Syncing ? 1 : 0)
        .ThenBy(h => h.Since)
        .First();

    public void Start()
    {
        Nodes.Start();
        Pods.Start();
        Namespaces.Start();
        InstanceTypes.Start();
        Jobs.Start();
        JobPods.Start();
    }

    private async Task<(IList<InstanceTypeResource> Items, string? Continue, string? ResourceVersion)> ListInstanceTypesAsync(string? continueToken, CancellationToken cancellationToken)
    {
        try
        {
            var list = await _client.CustomObjects.ListClusterCustomObjectAsync<InstanceTypeResourceList>(
                InstanceTypeManifest.Group, InstanceTypeManifest.Version, InstanceTypeManifest.Plural, continueParameter: continueToken, limit: 500, cancellationToken: cancellationToken);
            InstanceTypesInstalled = true;
            return (list.Items, list.Metadata?.ContinueProperty, list.Metadata?.ResourceVersion);
        }
        catch (k8s.Autorest.HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            // The CRD does not exist: the extension is not installed. A state, not a failure.
            InstanceTypesInstalled = false;
            return ([], null, "0");
        }
    }

    private IAsyncEnumerable<(WatchEventType Type, InstanceTypeResource Object)> WatchInstanceTypes(string resourceVersion, Action<Exception> onError, CancellationToken cancellationToken) =>
        InstanceTypesInstalled == false
            ? WaitForCrdAsync(onError, cancellationToken)
            : WatchInstanceTypesAsync(resourceVersion, onError, cancellationToken);

    private async IAsyncEnumerable<(WatchEventType Type, InstanceTypeResource Object)> WatchInstanceTypesAsync(string resourceVersion, Action<Exception> onError, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        IAsyncEnumerable<(WatchEventType, object)> events = _client.CustomObjects.WatchListClusterCustomObjectAsync(
            InstanceTypeManifest.Group, InstanceTypeManifest.Version, InstanceTypeManifest.Plural, allowWatchBookmarks: true, resourceVersion: resourceVersion, onError: onError, cancellationToken: cancellationToken);
        await foreach (var (type, item) in events)
        {
            var resource = item switch
            {
                InstanceTypeResource typed => typed,
                System.Text.Json.JsonElement json => KubernetesJson.Deserialize<InstanceTypeResource>(json.GetRawText()),
                _ => KubernetesJson.Deserialize<InstanceTypeResource>(KubernetesJson.Serialize(item)),
            };
            yield return (type, resource);
        }
    }

    private async IAsyncEnumerable<(WatchEventType Type, InstanceTypeResource Object)> WaitForCrdAsync(Action<Exception> onError, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await Task.Delay(CrdPollInterval, cancellationToken);

        // Ask the informer for a fresh list (as after 410 Gone): it finds the CRD once the extension is installed.
        onError(new KubernetesException(new V1Status { Code = (int)System.Net.HttpStatusCode.Gone, Message = "InstanceType CRD not installed; listing again" }));
        yield break;
    }

    /// <summary>Allocatable minus the requests of non-terminated pods, per node (O(nodes): requests are indexed as pods change).</summary>
    public IReadOnlyList<NodeCapacity> Capacity()
    {
        lock (_podIndex)
        {
            return [.. Nodes.Snapshot().Select(n => new NodeCapacity(n.Name, n.Allocatable, _podIndex.GetValueOrDefault(n.Name).Requested, n.Ready && !n.Unschedulable))];
        }
    }

    /// <summary>Non-terminated pods bound to a node.</summary>
    public int PodsOn(string node)
    {
        lock (_podIndex)
        {
            return _podIndex.GetValueOrDefault(node).Pods;
        }
    }

    /// <summary>
    /// Pods by phase per node name, kept as pods change (O(nodes) to read, never a pass over the pods). Pods not bound to a
    /// node are under the empty name.
    /// </summary>
    public IReadOnlyDictionary<string, PodPhaseCounts> PodPhases()
    {
        lock (_podIndex)
        {
            return new Dictionary<string, PodPhaseCounts>(_phases, StringComparer.Ordinal);
        }
    }

    /// <summary>
    /// Non-terminated pods that request GPUs, per node name (only nodes that have some), kept as pods change: what the
    /// GPU heat map draws without a pass over every pod.
    /// </summary>
    public IReadOnlyDictionary<string, IReadOnlyList<PodInfo>> GpuPods()
    {
        lock (_podIndex)
        {
            return _gpuPods.ToDictionary(e => e.Key, e => (IReadOnlyList<PodInfo>)[.. e.Value.Values], StringComparer.Ordinal);
        }
    }

    /// <summary>Changes whenever the set of GPU-holding pods changes (readers reuse what they built from <see cref="GpuPods"/> otherwise).</summary>
    public long GpuPodsVersion => Interlocked.Read(ref _gpuPodsVersion);

    private long _gpuPodsVersion;
    private readonly Dictionary<string, (ResourceAmounts Requested, int Pods)> _podIndex = new(StringComparer.Ordinal);
    private readonly Dictionary<string, PodPhaseCounts> _phases = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Dictionary<string, PodInfo>> _gpuPods = new(StringComparer.Ordinal);

    private void RebuildPodIndex()
    {
        lock (_podIndex)
        {
            _podIndex.Clear();
            _phases.Clear();
            _gpuPods.Clear();
            Interlocked.Increment(ref _gpuPodsVersion);
            foreach (var pod in Pods.Snapshot())
            {
                Add(pod, 1);
            }
        }
    }

    private void OnPodChanged(PodInfo? old, PodInfo? current)
    {
        lock (_podIndex)
        {
            if (old is not null)
            {
                Add(old, -1);
            }

            if (current is not null)
            {
                Add(current, 1);
            }
        }
    }

    private void Add(PodInfo pod, int sign)
    {
        var bound = pod.NodeName ?? string.Empty;
        var phases = _phases.GetValueOrDefault(bound).With(pod.Phase, sign);
        if (phases.Total == 0)
        {
            _phases.Remove(bound);
        }
        else
        {
            _phases[bound] = phases;
        }

        if (pod.NodeName is not { } node || pod.Terminated)
        {
            return;
        }

        var (requested, pods) = _podIndex.GetValueOrDefault(node);
        _podIndex[node] = sign > 0 ? (requested + pod.Requests, pods + 1) : (requested - pod.Requests, pods - 1);
        if (pod.Requests.Gpus > 0)
        {
            Interlocked.Increment(ref _gpuPodsVersion);
            var key = $"{pod.Namespace}/{pod.Name}";
            if (sign > 0)
            {
                if (!_gpuPods.TryGetValue(node, out var held))
                {
                    _gpuPods[node] = held = new Dictionary<string, PodInfo>(StringComparer.Ordinal);
                }

                held[key] = pod;
            }
            else if (_gpuPods.TryGetValue(node, out var held) && held.Remove(key) && held.Count == 0)
            {
                _gpuPods.Remove(node);
            }
        }
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
        InstanceTypesInstalled = null;
        foreach (var restart in new Action[] { Nodes.Restart, Pods.Restart, Namespaces.Restart, InstanceTypes.Restart, Jobs.Restart, JobPods.Restart })
        {
            restart();
        }
    }

    public async ValueTask DisposeAsync()
    {
        Pods.Relisted -= RebuildPodIndex;
        Pods.ItemChanged -= OnPodChanged;
        Nodes.Changed -= RaiseChanged;
        Pods.Changed -= RaiseChanged;
        Namespaces.Changed -= RaiseChanged;
        InstanceTypes.Changed -= RaiseChanged;
        await InstanceTypes.DisposeAsync();
        await Nodes.DisposeAsync();
        await Pods.DisposeAsync();
        await Namespaces.DisposeAsync();
        await Jobs.DisposeAsync();
        await JobPods.DisposeAsync();
    }
}
