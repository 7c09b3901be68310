using System.Text.Json.Nodes;
using Studio.Sandbox.Storage;

namespace Studio.Sandbox.Simulation;

/// <summary>Preemption: a pending pod that fits nowhere evicts lower-priority pods of one node whose removal makes it fit.</summary>
internal sealed partial class Scheduler
{
    private bool TryPreempt(PendingPod p, StoredObject pod, PodRequirements req)
    {
        if (req.Priority <= 0 && _bound.Values.All(b => b.Priority >= req.Priority))
        {
            return false;
        }

        NodeState? bestNode = null;
        List<BoundPod>? bestVictims = null;
        foreach (var n in _nodeList)
        {
            var reasons = Filter(n, req, null);
            if (reasons is null || !OnlyResourceReasons(reasons))
            {
                continue;
            }

            var used = n.Requested;
            foreach (var t in n.Pods.Values)
            {
                if (_sim.Store.Get("pods", t.Namespace, t.Name) is { Deleting: true })
                {
                    used -= t.Requests;
                }
            }

            if (Filter(n, req, used) is null)
            {
                // Earlier victims are still terminating; wait for them.
                p.Unschedulable = true;
                return true;
            }

            var victims = new List<BoundPod>();
            foreach (var v in n.Pods.Values.Where(v => v.Priority < req.Priority).OrderBy(v => v.Priority).ThenBy(v => v.Key, StringComparer.Ordinal))
            {
                if (_sim.Store.Get("pods", v.Namespace, v.Name) is not { Deleting: false })
                {
                    continue;
                }

                victims.Add(v);
                used -= v.Requests;
                if (Filter(n, req, used) is null)
                {
                    break;
                }
            }

            if (Filter(n, req, used) is not null)
            {
                continue;
            }

            if (bestVictims is null || victims.Count < bestVictims.Count
                || (victims.Count == bestVictims.Count && victims.Max(v => v.Priority) < bestVictims.Max(v => v.Priority)))
            {
                bestNode = n;
                bestVictims = victims;
            }
        }

        if (bestNode is null || bestVictims is null)
        {
            return false;
        }

        foreach (var v in bestVictims)
        {
            if (_sim.Store.Get("pods", v.Namespace, v.Name) is { } victim)
            {
                _sim.Recorder.Record(victim, "Pod", "v1", "Normal", "Preempted", $"Preempted by pod {pod.Uid} on node {bestNode.Name}", Component);
                _sim.Service.Delete(_sim.Pods, v.Namespace, v.Name, Simulator.As(Component));
            }
        }

        p.Unschedulable = true;
        _sim.MergePatch(_sim.Pods, p.Namespace, p.Name, new JsonObject { ["status"] = new JsonObject { ["nominatedNodeName"] = bestNode.Name } }, Component, "status");
        return true;
    }
}
