using Studio.Domain.Clusters;
using Studio.Infrastructure.Kubernetes.Inventory;
using Studio.Infrastructure.Live;
using Studio.Infrastructure.Persistence;

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
    /// The history of one pool (or <see cref="MetricSample.ClusterTotal"/>), oldest first, ending with
    /// <paramref name="current"/> (a "now" sample of the shared live view) when there is one.
    /// </summary>
    public static IReadOnlyList<UtilisationPoint> Utilisation(IReadOnlyList<MetricSample> history, string pool, MetricSample? current)
    {
        var points = history.Where(s => s.Pool == pool).OrderBy(s => s.At).Select(ToPoint).ToList();
        if (current is not null)
        {
            points.Add(ToPoint(current));
        }

        return points;
    }

    /// <summary>The point <see cref="Utilisation"/> would end with: <paramref name="current"/>, else the pool's latest sample.</summary>
    public static UtilisationPoint? Latest(IReadOnlyList<MetricSample> history, string pool, MetricSample? current) =>
        (current ?? history.Where(s => s.Pool == pool).MaxBy(s => s.At)) is { } sample ? ToPoint(sample) : null;

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
    public static IReadOnlyList<GpuNodeRow> GpuHeatMap(IEnumerable<NodeInfo> nodes, IEnumerable<PodInfo> allPods, Func<string, string> ownerOfNamespace, int maxNodes, out int hidden) =>
        GpuHeatMap(GpuNodeLoad.From(nodes, allPods), ownerOfNamespace, maxNodes, out hidden);

    /// <summary>
    /// The heat map from GPU node loads already ordered busiest first (the shared live view's): only the first
    /// <paramref name="maxNodes"/> rows are built, so a viewer pays for what it shows, not for the cluster.
    /// </summary>
    public static IReadOnlyList<GpuNodeRow> GpuHeatMap(IReadOnlyList<GpuNodeLoad> loads, Func<string, string> ownerOfNamespace, int maxNodes, out int hidden)
    {
        hidden = Math.Max(0, loads.Count - maxNodes);
        var rows = new List<GpuNodeRow>(Math.Min(loads.Count, maxNodes));
        foreach (var load in loads.Take(maxNodes))
        {
            var slots = new List<GpuSlot>((int)load.Node.Allocatable.Gpus);
            foreach (var pod in load.Pods)
            {
                for (var i = 0; i < pod.Requests.Gpus; i++)
                {
                    slots.Add(new GpuSlot(ownerOfNamespace(pod.Namespace), $"{pod.Namespace}/{pod.Name}"));
                }
            }

            while (slots.Count < load.Node.Allocatable.Gpus)
            {
                slots.Add(new GpuSlot(null, null));
            }

            rows.Add(new GpuNodeRow(load.Node.Name, load.Node.Pool, load.Node.GpuProduct, load.Node.Ready, slots));
        }

        return rows;
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
