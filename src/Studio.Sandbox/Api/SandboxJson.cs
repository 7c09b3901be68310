using System.Text.Encodings.Web;
using System.Text.Json;

namespace Studio.Sandbox.Api;

/// <summary>Serializer options for everything the sandbox writes: compact, escaping only what JSON requires (as the Go server does).</summary>
internal static class SandboxJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        WriteIndented = false,
    };
}
