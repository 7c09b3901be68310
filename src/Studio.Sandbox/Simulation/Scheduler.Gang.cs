using Studio.Sandbox.Storage;

namespace Studio.Sandbox.Simulation;

/// <summary>Gang scheduling: the pods of a pod group are placed all together once min-member are pending, or not at all.</summary>
internal sealed partial class Scheduler
{
    /// <summary>All-or-nothing placement of the pending members of a pod group (at least its min-member count).</summary>
    private void ScheduleGroup(string ns, string group)
    {
        var members = _pending.Values.Where(p => p.Namespace == ns && p.Group == group).OrderBy(p => p.Name, StringComparer.Ordinal).ToList();
        var pods = new List<(PendingPod P, StoredObject Pod, PodRequirements Req)>();
        foreach (var m in members)
        {
            var pod = _sim.Store.Get("pods", m.Namespace, m.Name);
            if (pod is null || pod.NodeName is not null || pod.Deleting)
            {
                _pending.Remove(m.Key);
                continue;
            }

            pods.Add((m, pod, new PodRequirements(pod.ToJsonObject()) { Priority = m.Priority }));
        }

        if (pods.Count == 0)
        {
            return;
        }

        var minMember = pods.Select(x => x.Req.MinMember).Max();
        var alreadyBound = _bound.Values.Count(b => b.Namespace == ns && _sim.Store.Get("pods", b.Namespace, b.Name)?.Label(PodGroupLabel) == group);
        if (pods.Count + alreadyBound < minMember)
        {
            var msg = $"0/{_nodeList.Count} nodes are available: pod group \"{group}\" has {pods.Count + alreadyBound} of its {minMember} minimum members.";
            foreach (var x in pods)
            {
                MarkUnschedulable(x.P, x.Pod, msg);
            }

            return;
        }

        var placed = new List<(PendingPod P, StoredObject Pod, PodRequirements Req, NodeState Node)>();
        string? failure = null;
        foreach (var x in pods)
        {
            var (node, message) = FindNode(x.Req);
            if (node is null)
            {
                failure = message;
                break;
            }

            node.Requested += x.Req.Requests;
            placed.Add((x.P, x.Pod, x.Req, node));
        }

        foreach (var pl in placed)
        {
            pl.Node.Requested -= pl.Req.Requests;
        }

        if (failure is not null && placed.Count + alreadyBound < minMember)
        {
            var msg = failure.TrimEnd('.') + $"; pod group \"{group}\" needs {minMember} members placed together, only {placed.Count + alreadyBound} fit.";
            foreach (var x in pods)
            {
                MarkUnschedulable(x.P, x.Pod, msg);
            }

            return;
        }

        foreach (var pl in placed)
        {
            Bind(pl.P, pl.Pod, pl.Req, pl.Node);
        }

        foreach (var x in pods.Skip(placed.Count))
        {
            var (_, message) = FindNode(x.Req);
            MarkUnschedulable(x.P, x.Pod, message);
        }
    }
}
