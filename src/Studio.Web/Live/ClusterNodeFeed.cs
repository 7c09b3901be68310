using Studio.Infrastructure.Kubernetes.Inventory;

namespace Studio.Web.Live;

/// <summary>
/// Feeds the live broadcaster from the shared informers: node changes of a cluster go to scope <c>cluster:{id}</c>.
/// One feed per running inventory — never one watch per subscriber.
/// </summary>
public sealed class ClusterNodeFeed(LiveBroadcaster<NodeInfo> broadcaster)
{
    private readonly System.Runtime.CompilerServices.ConditionalWeakTable<ClusterInventory, object> _attached = [];

    public static string Scope(Guid clusterId) => $"cluster:{clusterId:N}";

    /// <summary>Publishes the inventory's node changes (idempotent per inventory).</summary>
    public void Attach(ClusterInventory inventory)
    {
        if (!_attached.TryAdd(inventory, this))
        {
            return;
        }

        var scope = Scope(inventory.ClusterId);
        inventory.Nodes.ItemChanged += (old, current) =>
            broadcaster.Publish(scope, current is null
                ? new LiveChange<NodeInfo>(ChangeKind.Delete, old!.Name, null)
                : new LiveChange<NodeInfo>(ChangeKind.Upsert, current.Name, current));
        inventory.Nodes.Relisted += () =>
        {
            foreach (var node in inventory.Nodes.Snapshot())
            {
                broadcaster.Publish(scope, new LiveChange<NodeInfo>(ChangeKind.Upsert, node.Name, node));
            }
        };
    }

    public static IReadOnlyList<LiveChange<NodeInfo>> Snapshot(ClusterInventory inventory) =>
        [.. inventory.Nodes.Snapshot().Select(n => new LiveChange<NodeInfo>(ChangeKind.Upsert, n.Name, n))];
}
