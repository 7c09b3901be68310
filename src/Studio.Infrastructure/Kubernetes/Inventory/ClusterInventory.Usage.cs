using Studio.Domain.Clusters;

namespace Studio.Infrastructure.Kubernetes.Inventory;

/// <summary>What the nodes hold, indexed as pods change: requests, pods by phase and GPU pods per node.</summary>
public sealed partial class ClusterInventory
{
    /// <summary>Allocatable minus the requests of non-terminated pods, per node (O(nodes): requests are indexed as pods change).</summary>
    public IReadOnlyList<NodeCapacity> Capacity()
    {
        lock (_podIndex)
        {
            return [.. Nodes.Snapshot().Select(n => new NodeCapacity(n.Name, n.Allocatable, _podIndex.GetValueOrDefault(n.Name).Requested, n.Ready && !n.Unschedulable))];
        }
    }

    /// <summary>What the non-terminated pods bound to a node request (O(1): indexed as pods change).</summary>
    public ResourceAmounts RequestedOn(string node)
    {
        lock (_podIndex)
        {
            return _podIndex.GetValueOrDefault(node).Requested;
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
    /// Every pod bound to a node, finished ones included (what the node page lists), by namespace and name: read from an
    /// index kept as pods change, never a pass over every pod.
    /// </summary>
    public IReadOnlyList<PodInfo> PodsBoundTo(string node)
    {
        lock (_podIndex)
        {
            return _podsByNode.TryGetValue(node, out var pods)
                ? [.. pods.OrderBy(p => p.Namespace, StringComparer.Ordinal).ThenBy(p => p.Name, StringComparer.Ordinal)]
                : [];
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

    // The informer hands back the very projection it stored, so the pods of a node are held by reference (no key string per pod).
    private readonly Dictionary<string, HashSet<PodInfo>> _podsByNode = new(StringComparer.Ordinal);

    private void RebuildPodIndex()
    {
        lock (_podIndex)
        {
            _podIndex.Clear();
            _phases.Clear();
            _gpuPods.Clear();
            _podsByNode.Clear();
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

        if (pod.NodeName is { } host)
        {
            if (sign > 0)
            {
                if (!_podsByNode.TryGetValue(host, out var on))
                {
                    _podsByNode[host] = on = new HashSet<PodInfo>(ReferenceEqualityComparer.Instance);
                }

                on.Add(pod);
            }
            else if (_podsByNode.TryGetValue(host, out var on) && on.Remove(pod) && on.Count == 0)
            {
                _podsByNode.Remove(host);
            }
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
}
