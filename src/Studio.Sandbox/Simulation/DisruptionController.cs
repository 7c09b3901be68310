using System.Text.Json.Nodes;
using Studio.Sandbox.Api;

namespace Studio.Sandbox.Simulation;

/// <summary>The disruption controller: keeps each PodDisruptionBudget's status (healthy, desired, allowed disruptions) current.</summary>
internal sealed class DisruptionController
{
    public const string Component = "disruption-controller";
    private readonly Simulator _sim;

    public DisruptionController(Simulator sim) => _sim = sim;

    public void Reconcile(string ns)
    {
        var budgets = _sim.Store.List(Eviction.StorageKey, ns, null, 0, b => !b.Deleting).Items;
        if (budgets.Count == 0)
        {
            return;
        }

        var pods = _sim.Store.List("pods", ns, null, 0, _ => true).Items;
        var type = _sim.Cluster.Type("policy", "v1", "poddisruptionbudgets");
        foreach (var stored in budgets)
        {
            Simulator.Guard(() =>
            {
                var pdb = stored.ToJsonObject();
                var old = pdb["status"] as JsonObject ?? [];
                var status = Eviction.Status(pdb, pods, Simulator.Timestamp());
                if (!JsonNode.DeepEquals(old, status))
                {
                    _sim.MergePatch(type, ns, stored.Name, new JsonObject { ["status"] = status }, Component, "status");
                }
            });
        }
    }
}
