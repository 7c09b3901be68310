using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Studio.Sandbox.Api;

namespace Studio.Sandbox.Storage;

/// <summary>One immutable version of a stored object: compact UTF-8 JSON plus the few fields selectors and the garbage collector need.</summary>
internal sealed class StoredObject
{
    private static readonly ConcurrentDictionary<string, string> Pool = new(StringComparer.Ordinal);

    private StoredObject(string storageKey, string ns, string name, long resourceVersion, byte[] json)
    {
        StorageKey = storageKey;
        Namespace = ns;
        Name = name;
        ResourceVersion = resourceVersion;
        Json = json;
    }

    public string StorageKey { get; }
    public string Namespace { get; }
    public string Name { get; }
    public long ResourceVersion { get; }
    public byte[] Json { get; }
    public string Uid { get; private init; } = "";
    public string[] OwnerUids { get; private init; } = [];
    public KeyValuePair<string, string>[] Labels { get; private init; } = [];
    public bool Deleting { get; private init; }
    public int FinalizerCount { get; private init; }

    /// <summary>status.phase (pods and namespaces), for field selectors.</summary>
    public string? Phase { get; private init; }

    /// <summary>spec.nodeName (pods), for field selectors.</summary>
    public string? NodeName { get; private init; }

    public string Key => KeyOf(Namespace, Name);

    public static string KeyOf(string? ns, string name) => (ns ?? "") + "/" + name;

    public JsonObject ToJsonObject() => JsonNode.Parse(Json)!.AsObject();

    /// <summary>
    /// A mutable copy of only the named top-level fields (e.g. <c>metadata</c> and <c>status</c>): a controller that reads its
    /// pods' state does not materialize their specs, which can be large (thousands of environment variables).
    /// </summary>
    public JsonObject ToJsonObject(params ReadOnlySpan<string> fields)
    {
        using var doc = JsonDocument.Parse(Json);
        var result = new JsonObject();
        foreach (var field in fields)
        {
            if (doc.RootElement.TryGetProperty(field, out var value))
            {
                result[field] = JsonNode.Parse(value.GetRawText());
            }
        }

        return result;
    }

    public string? Label(string key)
    {
        foreach (var kv in Labels)
        {
            if (string.Equals(kv.Key, key, StringComparison.Ordinal))
            {
                return kv.Value;
            }
        }

        return null;
    }

    /// <summary>Serializes <paramref name="obj"/> (whose metadata.resourceVersion is already set) into a stored version.</summary>
    public static StoredObject Create(string storageKey, JsonObject obj, long resourceVersion)
    {
        var meta = obj["metadata"] as JsonObject;
        var name = (string?)meta?["name"] ?? "";
        var ns = (string?)meta?["namespace"] ?? "";
        var bytes = JsonSerializer.SerializeToUtf8Bytes(obj, SandboxJson.Options);
        var labels = meta?["labels"] is JsonObject l
            ? [.. l.Select(kv => new KeyValuePair<string, string>(Intern(kv.Key), Intern(kv.Value?.ToString() ?? "")))]
            : Array.Empty<KeyValuePair<string, string>>();
        var owners = meta?["ownerReferences"] is JsonArray refs
            ? [.. refs.Select(r => (string?)r?["uid"]).OfType<string>()]
            : Array.Empty<string>();
        var isPod = storageKey == "pods";
        return new StoredObject(storageKey, Intern(ns), name, resourceVersion, bytes)
        {
            Uid = (string?)meta?["uid"] ?? "",
            Labels = labels,
            OwnerUids = owners,
            Deleting = meta?["deletionTimestamp"] is not null,
            FinalizerCount = (meta?["finalizers"] as JsonArray)?.Count ?? 0,
            Phase = isPod || storageKey == "namespaces" ? Intern((string?)obj["status"]?["phase"]) : null,
            NodeName = isPod ? Intern((string?)obj["spec"]?["nodeName"]) : null,
        };
    }

    [return: System.Diagnostics.CodeAnalysis.NotNullIfNotNull(nameof(s))]
    private static string? Intern(string? s)
    {
        if (s is null || s.Length > 64)
        {
            return s;
        }

        if (Pool.TryGetValue(s, out var pooled))
        {
            return pooled;
        }

        return Pool.Count < 200_000 ? Pool.GetOrAdd(s, s) : s;
    }
}
