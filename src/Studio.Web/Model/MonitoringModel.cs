using Studio.Domain.Clusters;
using Studio.Infrastructure.Kubernetes.Inventory;
using Studio.Infrastructure.Monitoring;

namespace Studio.Web.Model;

/// <summary>Builds what the monitoring dashboards draw, from sampled history and the live inventory.</summary>
public static class MonitoringModel
{
    /// <summary>Time ranges the dashboards offer (query value → span).</summary>
    public static readonly IReadOnlyDictionary<string, TimeSpan> Ranges = new Dictionary<string, TimeSpan>(StringComparer.Ordinal)
    {
        ["1h"] = TimeSpan.FromHours(1),
        ["6h"] = TimeSpan.FromHours(6),
        ["24h"] = TimeSpan.FromHours(24),
        ["7d"] = TimeSpan.FromDays(7),
    };

    public static TimeSpan Range(string? value) => value is not null && Ranges.TryGetValue(value, out var span) ? span : TimeSpan.FromHours(1);

    /// <summary>
    /// The history of one pool (or <see cref="MetricSample.ClusterTotal"/>), oldest first, ending with the live "now"
    /// point when the inventory is available.
    /// </summary>
    public static IReadOnlyList<UtilisationPoint> Utilisation(IReadOnlyList<MetricSample> history, string pool, ClusterInventory? live, DateTimeOffset now)
    {
        var points = history.Where(s => s.Pool == pool).OrderBy(s => s.At).Select(ToPoint).ToList();
        if (live is not null && live.FirstSync.IsCompletedSuccessfully)
        {
            var current = MetricSampler.Sample(live, now).FirstOrDefault(s => s.Pool == pool);
            if (current is not null)
            {
                points.Add(ToPoint(current));
            }
        }

        return points;
    }

    private static UtilisationPoint ToPoint(MetricSample s) => new(
        s.At,
        new ResourceAmounts(s.CpuRequestedMillis, s.MemoryRequestedBytes, s.GpusRequested),
        new ResourceAmounts(s.CpuAllocatableMillis, s.MemoryAllocatableBytes, s.GpusAllocatable),
        s.PodsPending,
        s.PodsRunning,
        s.PodsFailed,
        s.Queued);

    /// <summary>
    /// GPU nodes × GPU slots. A slot is held by a non-terminated pod requesting GPUs on the node; its owner is the
    /// workspace whose compute target uses the pod's namespace (<paramref name="ownerOfNamespace"/>), else the namespace.
    /// At most <paramref name="maxNodes"/> rows (busiest first, then by name); <paramref name="hidden"/> says how many more.
    /// </summary>
    public static IReadOnlyList<GpuNodeRow> GpuHeatMap(ClusterInventory inventory, Func<string, string> ownerOfNamespace, int maxNodes, out int hidden) =>
        GpuHeatMap(inventory.Nodes.Snapshot(), inventory.Pods.Snapshot(), ownerOfNamespace, maxNodes, out hidden);

    /// <summary>The heat map from nodes and pods (see the overload on an inventory).</summary>
    public static IReadOnlyList<GpuNodeRow> GpuHeatMap(IEnumerable<NodeInfo> nodes, IEnumerable<PodInfo> allPods, Func<string, string> ownerOfNamespace, int maxNodes, out int hidden)
    {
        var gpuNodes = nodes.Where(n => n.Allocatable.Gpus > 0).ToList();
        var pods = allPods
            .Where(p => p.Requests.Gpus > 0 && !p.Terminated && p.NodeName is not null)
            .GroupBy(p => p.NodeName!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.OrderBy(p => p.Namespace, StringComparer.Ordinal).ThenBy(p => p.Name, StringComparer.Ordinal).ToList(), StringComparer.Ordinal);
        var rows = gpuNodes.Select(n =>
        {
            var slots = new List<GpuSlot>();
            foreach (var pod in pods.GetValueOrDefault(n.Name) ?? [])
            {
                for (var i = 0; i < pod.Requests.Gpus; i++)
                {
                    slots.Add(new GpuSlot(ownerOfNamespace(pod.Namespace), $"{pod.Namespace}/{pod.Name}"));
                }
            }

            while (slots.Count < n.Allocatable.Gpus)
            {
                slots.Add(new GpuSlot(null, null));
            }

            return new GpuNodeRow(n.Name, n.Pool, n.GpuProduct, n.Ready, slots);
        })
        .OrderByDescending(r => r.Used)
        .ThenBy(r => r.Pool, StringComparer.Ordinal)
        .ThenBy(r => r.Node, StringComparer.Ordinal)
        .ToList();
        hidden = Math.Max(0, rows.Count - maxNodes);
        return rows.Take(maxNodes).ToList();
    }

    /// <summary>The live indicator's state for a cluster snapshot: live, reconnecting (lost the watch, relisting) or stale.</summary>
    public static (LiveState State, DateTimeOffset? Since) Indicator(ClusterSnapshot? snapshot) => snapshot?.State switch
    {
        ClusterConnectionState.Connected => (LiveState.Live, null),
        ClusterConnectionState.Degraded => (LiveState.Stale, snapshot.Since),
        ClusterConnectionState.Unreachable => (LiveState.Stale, snapshot.Since),
        ClusterConnectionState.Connecting when snapshot.LastSyncedAt is not null => (LiveState.Reconnecting, snapshot.Since),
        _ => (LiveState.Connecting, null),
    };
}
