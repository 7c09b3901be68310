using System.Text.Json.Nodes;

namespace Studio.Sandbox.Simulation;

/// <summary>The schedulable resources a pod asks for or a node offers (cpu in millicores, memory in bytes).</summary>
internal readonly record struct ResourceAmounts(long Cpu, long Memory, long Gpu, long Pods)
{
    public const string GpuName = "nvidia.com/gpu";

    public static ResourceAmounts operator +(ResourceAmounts a, ResourceAmounts b) => new(a.Cpu + b.Cpu, a.Memory + b.Memory, a.Gpu + b.Gpu, a.Pods + b.Pods);

    public static ResourceAmounts operator -(ResourceAmounts a, ResourceAmounts b) => new(a.Cpu - b.Cpu, a.Memory - b.Memory, a.Gpu - b.Gpu, a.Pods - b.Pods);

    public static ResourceAmounts FromList(JsonNode? list) => list is JsonObject o
        ? new(Quantity.Milli(o["cpu"]?.ToString()), Quantity.Whole(o["memory"]?.ToString()), Quantity.Whole(o[GpuName]?.ToString()), Quantity.Whole(o["pods"]?.ToString()))
        : default;

    /// <summary>Effective pod request: the sum of the containers (requests, or limits where no request is given), at least each init container.</summary>
    public static ResourceAmounts OfPod(JsonObject pod)
    {
        var spec = pod["spec"] as JsonObject;
        var sum = default(ResourceAmounts);
        foreach (var c in (spec?["containers"] as JsonArray ?? []).OfType<JsonObject>())
        {
            sum += OfContainer(c);
        }

        foreach (var c in (spec?["initContainers"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var r = OfContainer(c);
            sum = new(Math.Max(sum.Cpu, r.Cpu), Math.Max(sum.Memory, r.Memory), Math.Max(sum.Gpu, r.Gpu), 0);
        }

        return sum with { Pods = 1 };
    }

    private static ResourceAmounts OfContainer(JsonObject c)
    {
        var req = c["resources"]?["requests"] as JsonObject;
        var lim = c["resources"]?["limits"] as JsonObject;
        string? Pick(string k) => req?[k]?.ToString() ?? lim?[k]?.ToString();
        return new(Quantity.Milli(Pick("cpu")), Quantity.Whole(Pick("memory")), Quantity.Whole(Pick(GpuName)), 0);
    }
}
