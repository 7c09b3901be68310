using System.Text.Json.Nodes;

namespace Studio.Sandbox.Api;

/// <summary>
/// How a written object is put in stored form and compared with the old one, as the real server does: empty metadata
/// collections are omitted, values are JSON-backed, a write that changes only volatile fields is a no-op, and a change
/// of anything but metadata (and status, where it is a subresource) bumps the generation.
/// </summary>
internal static class WriteNormalization
{
    /// <summary>Drops empty metadata collections, which the real server omits.</summary>
    public static void DropEmptyMetadata(JsonObject meta)
    {
        foreach (var k in new[] { "labels", "annotations", "finalizers", "ownerReferences", "managedFields" })
        {
            if (meta[k] is JsonObject { Count: 0 } or JsonArray { Count: 0 })
            {
                meta.Remove(k);
            }
        }
    }

    /// <summary>Round-trips through UTF-8 so that every value is JSON-backed (numeric conversions then always work).</summary>
    public static JsonObject Reparse(JsonObject o) => JsonNode.Parse(System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(o, SandboxJson.Options))!.AsObject();

    public static JsonObject StripVolatile(JsonObject o)
    {
        var c = (JsonObject)o.DeepClone();
        if (c["metadata"] is JsonObject m)
        {
            m.Remove("resourceVersion");
            foreach (var entry in (m["managedFields"] as JsonArray ?? []).OfType<JsonObject>())
            {
                entry.Remove("time");
            }
        }

        return c;
    }

    /// <summary>Whether anything but metadata (and status, for kinds with a status subresource) changed: that bumps generation.</summary>
    public static bool SpecChanged(JsonObject old, JsonObject updated, bool includeStatus)
    {
        JsonObject Core(JsonObject o)
        {
            var c = new JsonObject();
            foreach (var (k, v) in o)
            {
                if (k is not ("metadata" or "apiVersion" or "kind") && (includeStatus || k != "status"))
                {
                    c[k] = v?.DeepClone();
                }
            }

            return c;
        }

        return !JsonNode.DeepEquals(Core(old), Core(updated));
    }
}
