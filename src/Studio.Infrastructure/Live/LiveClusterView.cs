using Studio.Infrastructure.Kubernetes.Inventory;
using Studio.Infrastructure.Monitoring;
using Studio.Infrastructure.Persistence;

namespace Studio.Infrastructure.Live;

/// <summary>
/// Everything the cluster, monitoring and overview pages derive from one cluster's live inventory, computed once per
/// change batch for all circuits (<see cref="LiveClusterViews"/>) and shared read-only: totals and pools, the live
/// "now" sample per pool (pod phases, requested vs allocatable), GPU nodes busiest first, and the namespaces.
/// </summary>
public sealed record LiveClusterView(
    long Version,
    DateTimeOffset At,
    ClusterSnapshot Snapshot,
    IReadOnlyList<MetricSample> Now,
    IReadOnlyList<GpuNodeLoad> GpuNodes,
    IReadOnlyList<string> Namespaces)
{
    /// <summary>The cluster-wide "now" sample (null until the inventory has synced once).</summary>
    public MetricSample? Total => Now.Count > 0 ? Now[0] : null;

    /// <summary>Pods in phase Running right now (null until synced).</summary>
    public int? RunningPods => Total?.PodsRunning;

    /// <summary>How often the charts' last point follows the live figures (the cards and chart titles follow every batch).</summary>
    public static readonly TimeSpan ChartRefresh = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The "now" samples the charts end with: the same list for <see cref="ChartRefresh"/>, so every page draws the same
    /// chart (rendered once, <c>ChartMarkup</c>) and browsers do not re-parse four SVG charts on every change batch.
    /// </summary>
    public IReadOnlyList<MetricSample> ChartNow { get; init; } = [];

    /// <summary>When <see cref="ChartNow"/> was taken.</summary>
    public DateTimeOffset ChartAt { get; init; }

    /// <summary>The "now" sample of a pool (or <see cref="MetricSample.ClusterTotal"/>), if any.</summary>
    public MetricSample? Sample(string pool) => Now.FirstOrDefault(s => s.Pool == pool);

    /// <summary>The charts' "now" sample of a pool (see <see cref="ChartNow"/>), if any.</summary>
    public MetricSample? ChartSample(string pool) => ChartNow.FirstOrDefault(s => s.Pool == pool);

    /// <summary>Computes the view in O(nodes) (pod figures come from the inventory's indexes); runs once per batch for every viewer.</summary>
    public static LiveClusterView From(ClusterInventory inventory, DateTimeOffset now, long version) => From(inventory, now, version, null);

    /// <summary>
    /// Computes the view, reusing <paramref name="previous"/>'s GPU node list when neither the GPU-holding pods nor the
    /// nodes changed since (most pod changes): viewers then keep their heat map as it is instead of rebuilding it.
    /// </summary>
    public static LiveClusterView From(ClusterInventory inventory, DateTimeOffset now, long version, (LiveClusterView View, long GpuPodsVersion, bool NodesChanged)? previous)
    {
        var snapshot = ClusterSnapshot.From(inventory);
        if (!inventory.FirstSync.IsCompletedSuccessfully)
        {
            return new LiveClusterView(version, now, snapshot, [], [], [.. inventory.Namespaces.Snapshot().Order(StringComparer.Ordinal)]);
        }

        // Phases and GPU pods come from the inventory's indexes, kept as pods change: O(nodes), no pass over the pods.
        var samples = MetricSampler.Sample(inventory, now);
        var keepChart = previous is { } q && q.View.ChartNow.Count > 0 && now - q.View.ChartAt < ChartRefresh;
        return new LiveClusterView(
            version,
            now,
            snapshot,
            samples,
            previous is { NodesChanged: false } p && p.GpuPodsVersion == inventory.GpuPodsVersion && p.View.GpuNodes.Count > 0
                ? p.View.GpuNodes
                : GpuNodeLoad.From(inventory.Nodes.Snapshot(), inventory.GpuPods()),
            [.. inventory.Namespaces.Snapshot().Order(StringComparer.Ordinal)])
        {
            ChartNow = keepChart ? previous!.Value.View.ChartNow : samples,
            ChartAt = keepChart ? previous!.Value.View.ChartAt : now,
        };
    }
}
