using System.Globalization;
using System.Text.Json.Nodes;
using Studio.Sandbox.Storage;

namespace Studio.Sandbox.Simulation;

/// <summary>
/// HorizontalPodAutoscaler (autoscaling/v2) for Deployments, ReplicaSets and StatefulSets with a cpu (or memory) Utilization
/// target. The simulated utilisation of a pod is its <c>sandbox.studio/cpu-utilization</c> (or <c>memory-utilization</c>)
/// annotation in percent of the request, else 50. Evaluated every 15 simulated seconds, as the real sync period.
/// </summary>
internal sealed class HpaController
{
    public const string Component = "horizontal-pod-autoscaler";
    private readonly Simulator _sim;

    public HpaController(Simulator sim) => _sim = sim;

    public void Sync()
    {
        foreach (var stored in _sim.Store.List("horizontalpodautoscalers.autoscaling", null, null, 0, o => !o.Deleting).Items)
        {
            try
            {
                Reconcile(stored);
            }
            catch (Api.ApiException)
            {
                // Target gone or changed meanwhile; the next sync tries again.
            }
        }

        _sim.After(15, Sync);
    }

    private void Reconcile(StoredObject stored)
    {
        var hpa = stored.ToJsonObject();
        var spec = hpa["spec"] as JsonObject ?? [];
        var kind = (string?)spec["scaleTargetRef"]?["kind"];
        var targetName = (string?)spec["scaleTargetRef"]?["name"] ?? "";
        var (type, key) = kind switch
        {
            "Deployment" => (_sim.Deployments, "deployments.apps"),
            "ReplicaSet" => (_sim.ReplicaSets, "replicasets.apps"),
            _ => (null, null),
        };
        if (type is null || _sim.Store.Get(key!, stored.Namespace, targetName) is not { } target)
        {
            return;
        }

        var targetJson = target.ToJsonObject();
        var current = (int?)targetJson["spec"]?["replicas"] ?? 1;
        var min = (int?)spec["minReplicas"] ?? 1;
        var max = (int?)spec["maxReplicas"] ?? Math.Max(min, current);
        var metric = (spec["metrics"] as JsonArray ?? []).OfType<JsonObject>().FirstOrDefault(m => (string?)m["type"] == "Resource");
        var resource = (string?)metric?["resource"]?["name"] ?? "cpu";
        var targetUtil = (int?)metric?["resource"]?["target"]?["averageUtilization"] ?? 80;
        var selector = targetJson["spec"]?["selector"]?["matchLabels"] as JsonObject ?? [];
        var pods = _sim.Store.List("pods", stored.Namespace, null, 0, p => !p.Deleting && p.Phase == "Running"
            && selector.All(kv => p.Label(kv.Key) == kv.Value?.ToString())).Items.Select(p => p.ToJsonObject()).ToList();
        var utils = pods.Select(p => int.TryParse((string?)p["metadata"]?["annotations"]?[WorkloadRules.Prefix + resource + "-utilization"], NumberStyles.Integer, CultureInfo.InvariantCulture, out var u) ? u : 50).ToList();
        var average = utils.Count == 0 ? 0 : (int)Math.Round(utils.Average());
        var desired = current;
        if (utils.Count > 0 && Math.Abs((average / (double)targetUtil) - 1) > 0.1)
        {
            desired = (int)Math.Ceiling(utils.Count * average / (double)targetUtil);
        }

        desired = Math.Clamp(desired, min, max);
        var now = Simulator.Timestamp();
        var status = new JsonObject
        {
            ["currentReplicas"] = current,
            ["desiredReplicas"] = desired,
            ["currentMetrics"] = new JsonArray(new JsonObject
            {
                ["type"] = "Resource",
                ["resource"] = new JsonObject { ["name"] = resource, ["current"] = new JsonObject { ["averageUtilization"] = average } },
            }),
            ["conditions"] = new JsonArray(
                PodTemplates.Condition("AbleToScale", "True", "ReadyForNewScale", "recommended size matches current size", now),
                PodTemplates.Condition("ScalingActive", "True", "ValidMetricFound", $"the HPA was able to successfully calculate a replica count from {resource} resource utilization (percentage of request)", now)),
        };
        if (desired != current)
        {
            status["lastScaleTime"] = now;
            _sim.MergePatch(type, stored.Namespace, targetName, new JsonObject { ["spec"] = new JsonObject { ["replicas"] = desired } }, Component);
            _sim.Recorder.Record(stored, "HorizontalPodAutoscaler", "autoscaling/v2", "Normal", "SuccessfulRescale",
                $"New size: {desired}; reason: {resource} resource utilization (percentage of request) {(desired > current ? "above" : "below")} target", Component);
        }
        else if (hpa["status"]?["lastScaleTime"] is { } last)
        {
            status["lastScaleTime"] = last.DeepClone();
        }

        _sim.MergePatch(_sim.Cluster.Type("autoscaling", "v2", "horizontalpodautoscalers"), stored.Namespace, stored.Name, new JsonObject { ["status"] = status }, Component, "status");
    }
}
