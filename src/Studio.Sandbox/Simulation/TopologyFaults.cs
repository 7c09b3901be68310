using System.Text.Json;
using System.Text.Json.Nodes;
using Studio.Sandbox.Api;

namespace Studio.Sandbox.Simulation;

/// <summary>Reads fault modes from a topology file's <c>faults:</c> section or from <c>--faults JSON</c>.</summary>
internal static class TopologyFaults
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static SandboxFaults Parse(string json) => JsonSerializer.Deserialize<SandboxFaults>(json, Json) ?? new SandboxFaults();

    public static SandboxFaults? Load(string path)
    {
        if (path.StartsWith("preset:", StringComparison.Ordinal) || !File.Exists(path))
        {
            return null;
        }

        return YamlToJson.Parse(File.ReadAllText(path)) is JsonObject { } root && root["faults"] is JsonObject faults
            ? faults.Deserialize<SandboxFaults>(Json)
            : null;
    }
}
