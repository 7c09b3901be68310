namespace Studio.Infrastructure.Kubernetes.Inventory;

/// <summary>Server-side paging, filtering and sorting of a cluster's nodes (the grid stays fast at 5,000 nodes).</summary>
public sealed record NodeQuery(string? Search = null, string? Pool = null, string? SortBy = null, bool Descending = false, int Skip = 0, int Take = 50)
{
    public NodePage Run(ClusterInventory inventory)
    {
        var capacity = inventory.Capacity().ToDictionary(c => c.Node, StringComparer.Ordinal);
        IEnumerable<NodeRow> rows = inventory.Nodes.Snapshot()
            .Select(n => new NodeRow(n, capacity[n.Name].Requested, capacity[n.Name].Free, inventory.PodsOn(n.Name)));
        if (!string.IsNullOrWhiteSpace(Pool))
        {
            rows = rows.Where(r => r.Node.Pool == Pool);
        }

        if (!string.IsNullOrWhiteSpace(Search))
        {
            var term = Search.Trim();
            rows = rows.Where(r => r.Node.Name.Contains(term, StringComparison.OrdinalIgnoreCase)
                || r.Node.Status.Contains(term, StringComparison.OrdinalIgnoreCase)
                || r.Node.Labels.Any(l => $"{l.Key}={l.Value}".Contains(term, StringComparison.OrdinalIgnoreCase)));
        }

        Func<NodeRow, object?> key = SortBy?.ToLowerInvariant() switch
        {
            "status" => r => r.Node.Status,
            "pool" => r => r.Node.Pool,
            "cpu" => r => r.Node.Allocatable.CpuMillis,
            "memory" => r => r.Node.Allocatable.MemoryBytes,
            "gpus" => r => r.Node.Allocatable.Gpus,
            "freegpus" => r => r.Free.Gpus,
            "pods" => r => r.Pods,
            "age" => r => r.Node.CreatedAt,
            _ => r => r.Node.Name,
        };
        var sorted = (Descending ? rows.OrderByDescending(key) : rows.OrderBy(key)).ThenBy(r => r.Node.Name, StringComparer.Ordinal).ToList();
        return new NodePage([.. sorted.Skip(Math.Max(0, Skip)).Take(Math.Clamp(Take, 1, 500))], sorted.Count);
    }
}
