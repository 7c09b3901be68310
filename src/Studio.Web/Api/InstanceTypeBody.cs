using System.Text.Json;
using System.Text.Json.Serialization;
using Studio.Domain.InstanceTypes;

namespace Studio.Web.Api;

/// <summary>
/// An instance type as the API takes it: <c>{ name, nodeSelector, requests: { cpu, memory }, limits: { cpu, memory,
/// "nvidia.com/gpu" } }</c>. Quantities may be strings ("500m", "4Gi") or numbers (2), as in YAML.
/// </summary>
public sealed record InstanceTypeBody(string? Name, Dictionary<string, string>? NodeSelector, InstanceTypeResourcesBody? Requests, InstanceTypeResourcesBody? Limits)
{
    public InstanceTypeDraft ToDraft() => new(Name, NodeSelector, Requests?.CpuText, Requests?.MemoryText, Limits?.CpuText, Limits?.MemoryText, Limits?.GpuText, Requests?.GpuText);
}

/// <summary>CPU, memory and GPU of an instance type's requests or limits.</summary>
public sealed record InstanceTypeResourcesBody(JsonElement? Cpu, JsonElement? Memory, [property: JsonPropertyName("nvidia.com/gpu")] JsonElement? Gpu)
{
    internal string? CpuText => Text(Cpu);

    internal string? MemoryText => Text(Memory);

    internal string? GpuText => Text(Gpu);

    private static string? Text(JsonElement? value) => value switch
    {
        null => null,
        { ValueKind: JsonValueKind.String } s => s.GetString(),
        { ValueKind: JsonValueKind.Null or JsonValueKind.Undefined } => null,
        { } other => other.GetRawText(),
    };
}
