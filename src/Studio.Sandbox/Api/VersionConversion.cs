using System.Text.Json.Nodes;
using Studio.Sandbox.Resources;

namespace Studio.Sandbox.Api;

/// <summary>
/// Built-in kinds served in a version other than the one stored: <c>autoscaling/v1</c> HorizontalPodAutoscalers (what
/// <c>kubectl autoscale</c> creates) are stored as <c>autoscaling/v2</c>, as the real API server does;
/// <c>targetCPUUtilizationPercentage</c> is the v2 cpu Utilization metric and back.
/// </summary>
internal static class VersionConversion
{
    public static ResourceType HpaV1 { get; } = new()
    {
        Group = "autoscaling",
        Version = "v1",
        Plural = "horizontalpodautoscalers",
        Singular = "horizontalpodautoscaler",
        Kind = "HorizontalPodAutoscaler",
        Namespaced = true,
        ShortNames = ["hpa"],
        HasStatus = true,
        HasGeneration = true,
        Categories = ["all"],
        StoredAs = "v2",
    };

    /// <summary>A served-version object (already kind-checked) in the stored version.</summary>
    public static JsonObject ToStorage(ResourceType t, JsonObject obj)
    {
        obj["apiVersion"] = t.Group + "/" + t.StoredAs;
        if (obj["spec"] is JsonObject spec && spec["targetCPUUtilizationPercentage"] is { } target)
        {
            spec.Remove("targetCPUUtilizationPercentage");
            spec["metrics"] = new JsonArray(CpuMetric("target", new JsonObject { ["type"] = "Utilization", ["averageUtilization"] = target.DeepClone() }));
        }

        if (obj["status"] is JsonObject status && status["currentCPUUtilizationPercentage"] is { } current)
        {
            status.Remove("currentCPUUtilizationPercentage");
            status["currentMetrics"] = new JsonArray(CpuMetric("current", new JsonObject { ["averageUtilization"] = current.DeepClone() }));
        }

        return obj;
    }

    /// <summary>A stored object in the served version.</summary>
    public static JsonObject FromStorage(ResourceType t, JsonObject obj)
    {
        obj["apiVersion"] = t.ApiVersion;
        if (obj["spec"] is JsonObject spec)
        {
            var cpu = Cpu(spec["metrics"])?["target"]?["averageUtilization"];
            spec.Remove("metrics");
            spec.Remove("behavior");
            if (cpu is not null)
            {
                spec["targetCPUUtilizationPercentage"] = cpu.DeepClone();
            }
        }

        if (obj["status"] is JsonObject status)
        {
            var cpu = Cpu(status["currentMetrics"])?["current"]?["averageUtilization"];
            status.Remove("currentMetrics");
            status.Remove("conditions");
            if (cpu is not null)
            {
                status["currentCPUUtilizationPercentage"] = cpu.DeepClone();
            }
        }

        return obj;
    }

    private static JsonObject CpuMetric(string field, JsonObject value) => new()
    {
        ["type"] = "Resource",
        ["resource"] = new JsonObject { ["name"] = "cpu", [field] = value },
    };

    private static JsonObject? Cpu(JsonNode? metrics) =>
        (metrics as JsonArray ?? []).OfType<JsonObject>()
            .FirstOrDefault(m => (string?)m["type"] == "Resource" && (string?)m["resource"]?["name"] == "cpu")?["resource"] as JsonObject;
}
