using Studio.Domain.Clusters;

namespace Studio.Infrastructure.Kubernetes.Inventory;

/// <summary>A point-in-time view of a cluster's live inventory: state, totals, pools, GPUs.</summary>
public sealed record ClusterSnapshot(
    ClusterConnectionState State,
    DateTimeOffset Since,
    string? Problem,
    DateTimeOffset? LastSyncedAt,
    string? KubernetesVersion,
    int Nodes,
    int ReadyNodes,
    int Pods,
    int Namespaces,
    ResourceAmounts Allocatable,
    ResourceAmounts Requested,
    IReadOnlyList<PoolSummary> Pools)
{
    public bool IsStale => State is ClusterConnectionState.Degraded;

    public static ClusterSnapshot Unreachable(string problem, DateTimeOffset now) =>
        new(ClusterConnectionState.Unreachable, now, problem, null, null, 0, 0, 0, 0, default, default, []);

    public static ClusterSnapshot From(ClusterInventory inventory)
    {
        var health = inventory.Health;
        var nodes = inventory.Nodes.Snapshot();
        var capacity = inventory.Capacity().ToDictionary(c => c.Node, StringComparer.Ordinal);
        var state = health.State switch
        {
            InformerState.Synced => ClusterConnectionState.Connected,
            InformerState.Degraded when health.LastSyncedAt is null => ClusterConnectionState.Unreachable,
            InformerState.Degraded => ClusterConnectionState.Degraded,
            _ => ClusterConnectionState.Connecting,
        };
        var pools = nodes
            .GroupBy(n => n.Pool, StringComparer.Ordinal)
            .Select(g =>
            {
                var caps = g.Select(n => capacity[n.Name]).ToList();
                var free = caps.Select(c => c.Free.Gpus).DefaultIfEmpty(0).ToList();
                return new PoolSummary(
                    g.Key,
                    g.Count(),
                    g.Count(n => n.Ready),
                    g.Select(n => n.InstanceType).FirstOrDefault(t => t is not null),
                    g.Select(n => n.GpuProduct).FirstOrDefault(p => p is not null),
                    NodeCapacity.TotalAllocatable(caps),
                    NodeCapacity.TotalRequested(caps),
                    free.Sum(),
                    free.Max());
            })
            .OrderBy(p => p.Name, StringComparer.Ordinal)
            .ToList();
        var version = nodes.Select(n => n.KubeletVersion).Where(v => v is not null).GroupBy(v => v).OrderByDescending(g => g.Count()).Select(g => g.Key).FirstOrDefault();
        return new ClusterSnapshot(
            state,
            health.Since,
            health.Problem,
            health.LastSyncedAt,
            version,
            nodes.Count,
            nodes.Count(n => n.Ready),
            inventory.Pods.Count,
            inventory.Namespaces.Count,
            NodeCapacity.TotalAllocatable(capacity.Values),
            NodeCapacity.TotalRequested(capacity.Values),
            pools);
    }
}
