using System.Runtime.CompilerServices;
using Studio.Infrastructure.Kubernetes.Inventory;

namespace Studio.Infrastructure.Live;

/// <summary>
/// Feeds the <see cref="LiveBroadcaster{T}"/> of <see cref="LiveObject"/> from the shared informers: node and pod changes
/// of a cluster go to key <c>cluster:{id}</c>, pod changes also to <c>ns:{id}/{namespace}</c>. One feed per running
/// inventory, attached once — never a watch per subscriber. After a relist every subscriber gets a fresh snapshot
/// (objects may have gone without a delete event).
/// </summary>
public sealed class LiveFeeds(LiveBroadcaster<LiveObject> broadcaster)
{
    private readonly ConditionalWeakTable<ClusterInventory, object> _attached = [];

    public static string ClusterKey(Guid clusterId) => $"cluster:{clusterId:N}";

    public static string NamespaceKey(Guid clusterId, string @namespace) => $"ns:{clusterId:N}/{@namespace}";

    /// <summary>The key of a workspace's job records (fed by <see cref="LiveJobFeed"/>, not by an informer).</summary>
    public static string JobsKey(string workspace) => $"jobs:{workspace}";

    /// <summary>The key every job record change is published to as well (the hub's relay to its backplane follows it).</summary>
    public const string AllJobsKey = "jobs";

    /// <summary>Publishes the inventory's node and pod changes (idempotent per inventory).</summary>
    public void Attach(ClusterInventory inventory)
    {
        if (!_attached.TryAdd(inventory, this))
        {
            return;
        }

        var cluster = ClusterKey(inventory.ClusterId);
        inventory.Nodes.ItemChanged += (old, current) =>
        {
            var node = current ?? old!;
            broadcaster.Publish(cluster, new LiveChange<LiveObject>(current is null ? ChangeKind.Delete : ChangeKind.Upsert, LiveObject.NodeKey(node.Name), new LiveObject(Node: node)));
        };
        inventory.Pods.ItemChanged += (old, current) =>
        {
            var pod = current ?? old!;
            var change = new LiveChange<LiveObject>(current is null ? ChangeKind.Delete : ChangeKind.Upsert, LiveObject.PodKey(pod.Namespace, pod.Name), new LiveObject(Pod: pod));
            broadcaster.Publish(cluster, change);
            broadcaster.Publish(NamespaceKey(inventory.ClusterId, pod.Namespace), change);
        };
        inventory.Nodes.Relisted += () => broadcaster.Resync(cluster);
        inventory.Pods.Relisted += () =>
        {
            var prefix = $"ns:{inventory.ClusterId:N}/";
            broadcaster.Resync(cluster);
            foreach (var key in broadcaster.ActiveScopes.Where(k => k.StartsWith(prefix, StringComparison.Ordinal)))
            {
                broadcaster.Resync(key);
            }
        };
    }

    /// <summary>Every node and pod of the cluster, as upserts.</summary>
    public static IEnumerable<LiveChange<LiveObject>> ClusterSnapshot(ClusterInventory inventory) =>
        inventory.Nodes.Snapshot().Select(n => new LiveChange<LiveObject>(ChangeKind.Upsert, LiveObject.NodeKey(n.Name), new LiveObject(Node: n)))
            .Concat(PodSnapshot(inventory, _ => true));

    /// <summary>The pods that match, as upserts.</summary>
    public static IEnumerable<LiveChange<LiveObject>> PodSnapshot(ClusterInventory inventory, Func<PodInfo, bool> predicate) =>
        inventory.Pods.Snapshot().Where(predicate).Select(p => new LiveChange<LiveObject>(ChangeKind.Upsert, LiveObject.PodKey(p.Namespace, p.Name), new LiveObject(Pod: p)));
}
