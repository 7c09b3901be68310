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

    /// <summary>
    /// Whether two versions are the same but for volatile fields (resourceVersion, managedFields times): such a write is a
    /// no-op. Compares in place (no copies); a status write compares only status and metadata, the rest cannot differ.
    /// </summary>
    public static bool SameExceptVolatile(JsonObject old, JsonObject updated, bool statusWrite)
    {
        foreach (var key in old.Select(kv => kv.Key).Union(updated.Select(kv => kv.Key)))
        {
            if (statusWrite && key is not ("status" or "metadata"))
            {
                continue;
            }

            var same = key == "metadata"
                ? SameMetadata(old[key] as JsonObject ?? [], updated[key] as JsonObject ?? [])
                : JsonNode.DeepEquals(old[key], updated[key]);
            if (!same)
            {
                return false;
            }
        }

        return true;
    }

    private static bool SameMetadata(JsonObject old, JsonObject updated)
    {
        foreach (var key in old.Select(kv => kv.Key).Union(updated.Select(kv => kv.Key)))
        {
            if (key == "resourceVersion")
            {
                continue;
            }

            if (key != "managedFields")
            {
                if (!JsonNode.DeepEquals(old[key], updated[key]))
                {
                    return false;
                }

                continue;
            }

            var a = old[key] as JsonArray ?? [];
            var b = updated[key] as JsonArray ?? [];
            if (a.Count != b.Count)
            {
                return false;
            }

            for (var i = 0; i < a.Count; i++)
            {
                var ea = a[i] as JsonObject ?? [];
                var eb = b[i] as JsonObject ?? [];
                foreach (var k in ea.Select(kv => kv.Key).Union(eb.Select(kv => kv.Key)))
                {
                    if (k != "time" && !JsonNode.DeepEquals(ea[k], eb[k]))
                    {
                        return false;
                    }
                }
            }
        }

        return true;
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
