using System.Text.Json.Nodes;

namespace Studio.Sandbox.Simulation;

/// <summary>Builds pods from a controller's pod template.</summary>
internal static class PodTemplates
{
    public static JsonObject NewPod(JsonObject template, string name, string ns, JsonObject ownerRef, IEnumerable<KeyValuePair<string, string>> extraLabels)
    {
        var meta = template["metadata"] as JsonObject;
        var labels = meta?["labels"]?.DeepClone() as JsonObject ?? [];
        foreach (var (k, v) in extraLabels)
        {
            labels[k] = v;
        }

        var podMeta = new JsonObject
        {
            ["name"] = name,
            ["namespace"] = ns,
            ["labels"] = labels,
            ["ownerReferences"] = new JsonArray(ownerRef),
        };
        if (meta?["annotations"] is JsonObject ann)
        {
            podMeta["annotations"] = ann.DeepClone();
        }

        return new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Pod",
            ["metadata"] = podMeta,
            ["spec"] = template["spec"]?.DeepClone() ?? new JsonObject(),
        };
    }

    public static JsonObject OwnerRef(string apiVersion, string kind, string name, string uid) => new()
    {
        ["apiVersion"] = apiVersion,
        ["kind"] = kind,
        ["name"] = name,
        ["uid"] = uid,
        ["controller"] = true,
        ["blockOwnerDeletion"] = true,
    };

    public static bool IsReady(JsonObject pod) =>
        (pod["status"]?["conditions"] as JsonArray ?? []).OfType<JsonObject>().Any(c => (string?)c["type"] == "Ready" && (string?)c["status"] == "True");

    public static JsonObject Condition(string type, string status, string reason, string message, string now) => new()
    {
        ["type"] = type,
        ["status"] = status,
        ["reason"] = reason,
        ["message"] = message,
        ["lastProbeTime"] = now,
        ["lastTransitionTime"] = now,
    };
}
