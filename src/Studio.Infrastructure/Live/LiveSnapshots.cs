using Studio.Infrastructure.Kubernetes.Inventory;

namespace Studio.Infrastructure.Live;

/// <summary>The current state of a scope, from the shared inventories (and job records, where a source is registered).</summary>
public sealed class LiveSnapshots(IEnumerable<ILiveSnapshotSource> sources)
{
    public IReadOnlyList<LiveChange<LiveObject>> Take(LiveTarget target, IReadOnlyDictionary<Guid, ClusterInventory> inventories)
    {
        var changes = new List<LiveChange<LiveObject>>();
        if (target.Scope.Kind == LiveScopeKind.Cluster)
        {
            foreach (var inventory in inventories.Values)
            {
                changes.AddRange(LiveFeeds.ClusterSnapshot(inventory).Where(target.Includes));
            }
        }
        else
        {
            foreach (var group in target.Namespaces.GroupBy(n => n.Cluster))
            {
                if (inventories.TryGetValue(group.Key, out var inventory))
                {
                    var namespaces = group.Select(n => n.Namespace).ToHashSet(StringComparer.Ordinal);
                    changes.AddRange(LiveFeeds.PodSnapshot(inventory, p => namespaces.Contains(p.Namespace)).Where(target.Includes));
                }
            }
        }

        foreach (var source in sources)
        {
            changes.AddRange(source.Snapshot(target.Scope));
        }

        return changes;
    }
}
