using System.Text.Json.Nodes;

namespace Studio.Sandbox.Simulation;

/// <summary>
/// Node status over time, as kubelets and the node lifecycle controller post it: ready nodes send heartbeats, and the
/// nodes a fault marks not ready go Unknown (and come back Ready when the fault is lifted), with their events.
/// </summary>
internal sealed class NodeLifecycle(Simulator sim)
{
    private HashSet<string> _appliedNotReady = new(StringComparer.Ordinal);

    /// <summary>Marks <paramref name="notReady"/> not ready and every node that was but is no longer in it ready again.</summary>
    public void ApplyNotReady(IEnumerable<string> notReady)
    {
        lock (_appliedNotReady)
        {
            var wanted = new HashSet<string>(notReady, StringComparer.Ordinal);
            foreach (var node in wanted.Except(_appliedNotReady).Concat(_appliedNotReady.Except(wanted)).ToList())
            {
                SetNodeReady(node, !wanted.Contains(node));
            }

            _appliedNotReady = wanted;
        }
    }

    /// <summary>Reports a node Ready (kubelet posting status) or NotReady/Unknown (kubelet stopped posting status).</summary>
    private void SetNodeReady(string name, bool ready)
    {
        if (sim.Store.Get("nodes", null, name) is not { } stored)
        {
            return;
        }

        var node = stored.ToJsonObject();
        var now = Simulator.Timestamp();
        foreach (var c in (node["status"]?["conditions"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var type = (string?)c["type"];
            var status = ready ? (type == "Ready" ? "True" : "False") : "Unknown";
            if ((string?)c["status"] != status)
            {
                c["lastTransitionTime"] = now;
            }

            c["status"] = status;
            c["lastHeartbeatTime"] = now;
            c["reason"] = ready ? type switch
            {
                "Ready" => "KubeletReady",
                "MemoryPressure" => "KubeletHasSufficientMemory",
                "DiskPressure" => "KubeletHasNoDiskPressure",
                _ => "KubeletHasSufficientPID",
            } : "NodeStatusUnknown";
            c["message"] = ready ? (type == "Ready" ? "kubelet is posting ready status" : (string?)c["reason"]) : "Kubelet stopped posting node status.";
        }

        sim.Service.Update(sim.Nodes, null, name, node, Simulator.As("node-lifecycle-controller", "status"));
        sim.Recorder.Record("Node", "v1", "default", name, stored.Uid, "Normal", ready ? "NodeReady" : "NodeNotReady",
            ready ? $"Node {name} status is now: NodeReady" : $"Node {name} status is now: NodeNotReady", ready ? Kubelet.Component : "node-controller", name);
    }

    /// <summary>
    /// Simulated seconds between node status posts: 40 for small clusters; for large ones the kubelet's 5-minute report
    /// frequency, and never more often than every 30 real seconds (thousands of status writes would otherwise dominate).
    /// </summary>
    public double HeartbeatSeconds => sim.Store.Count("nodes") <= 500 ? 40 : Math.Max(300, 30 * sim.Speed);

    /// <summary>Ready nodes post their status: the conditions' lastHeartbeatTime moves on.</summary>
    public void Heartbeat()
    {
        HashSet<string> down;
        lock (_appliedNotReady)
        {
            down = [.. _appliedNotReady];
        }

        var now = Simulator.Timestamp();
        foreach (var stored in sim.Store.List("nodes", null, null, 0, n => !down.Contains(n.Name)).Items)
        {
            var node = stored.ToJsonObject();
            foreach (var c in (node["status"]?["conditions"] as JsonArray ?? []).OfType<JsonObject>())
            {
                c["lastHeartbeatTime"] = now;
            }

            Simulator.Guard(() => sim.Service.Update(sim.Nodes, null, stored.Name, node, Simulator.As(Kubelet.Component, "status")));
        }

        sim.After(HeartbeatSeconds, Heartbeat);
    }
}
