using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Studio.Sandbox.Api;

/// <summary>Opaque list continuation: the resourceVersion of the first page and the last key returned.</summary>
internal static class ContinueToken
{
    public static string Encode(long resourceVersion, string lastKey) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(new JsonObject { ["v"] = "meta.k8s.io/v1", ["rv"] = resourceVersion, ["start"] = lastKey }.ToJsonString()))
            .TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static (long ResourceVersion, string LastKey) Decode(string token)
    {
        try
        {
            var b64 = token.Replace('-', '+').Replace('_', '/');
            b64 = b64.PadRight(b64.Length + ((4 - (b64.Length % 4)) % 4), '=');
            var o = JsonNode.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(b64)))!;
            return ((long)o["rv"]!, (string)o["start"]!);
        }
        catch (Exception e) when (e is FormatException or System.Text.Json.JsonException or InvalidOperationException or NullReferenceException)
        {
            throw ApiException.BadRequest($"continue key is not valid: {token.ToString(CultureInfo.InvariantCulture)}");
        }
    }
}
