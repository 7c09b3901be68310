using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Studio.Sandbox.Api;

/// <summary>
/// An approximation of server-side apply field ownership: leaf paths in FieldsV1 notation (<c>f:spec</c>, <c>k:{"name":"c"}</c>),
/// one set per manager and operation, kept in <c>metadata.managedFields</c>.
/// </summary>
internal static partial class ManagedFields
{
    private static readonly HashSet<string> IgnoredMetadata = new(StringComparer.Ordinal)
    {
        "name", "namespace", "uid", "resourceVersion", "generation", "creationTimestamp", "managedFields", "selfLink",
        "deletionTimestamp", "deletionGracePeriodSeconds",
    };

    private static readonly Dictionary<string, string> KeyedLists = new(StringComparer.Ordinal)
    {
        ["containers"] = "name", ["initContainers"] = "name", ["env"] = "name", ["ports"] = "containerPort",
        ["volumes"] = "name", ["volumeMounts"] = "mountPath", ["imagePullSecrets"] = "name", ["conditions"] = "type",
        ["ownerReferences"] = "uid",
    };

    /// <summary>Applies <paramref name="applied"/> to <paramref name="live"/> for <paramref name="manager"/>; returns the merged object.</summary>
    public static JsonObject Apply(JsonObject? live, JsonObject applied, string manager, bool force, bool statusOnly,
        Func<string, ApiException> conflict)
    {
        var entries = Read(live);
        var appliedLeaves = LeafValues(applied, statusOnly);
        var newSet = appliedLeaves.Keys.ToHashSet(StringComparer.Ordinal);
        var liveLeaves = live is null ? null : LeafValues(live, false);
        var conflicts = new List<string>();
        var upgrade = live is not null && ClientSideApplyUpgrade.Applies(live, manager);
        var allowed = upgrade ? ClientSideApplyUpgrade.AllowedConflicts(live!, o => LeafValues(o, false).Keys) : [];
        foreach (var (m, op, set) in entries)
        {
            if (m == manager && op == "Apply")
            {
                continue;
            }

            foreach (var p in newSet.Where(set.Contains).ToList())
            {
                if (liveLeaves is not null && !JsonNode.DeepEquals(liveLeaves.GetValueOrDefault(p), appliedLeaves[p]))
                {
                    if (force || allowed.Contains(p))
                    {
                        set.Remove(p);
                    }
                    else
                    {
                        conflicts.Add($"conflict with \"{m}\"{(op == "Update" ? " using " + ((string?)applied["apiVersion"] ?? "v1") : "")}: {Display(p)}");
                    }
                }
            }
        }

        if (conflicts.Count > 0)
        {
            throw conflict(conflicts.Count == 1 ? conflicts[0] : $"Apply failed with {conflicts.Count} conflicts: " + string.Join("\n", conflicts));
        }

        var result = live is null ? [] : (JsonObject)live.DeepClone();
        Merge(result, applied);
        if (upgrade)
        {
            ClientSideApplyUpgrade.SyncLastApplied(result, applied);
        }

        var previous = entries.FirstOrDefault(e => e.Manager == manager && e.Operation == "Apply").Set;
        if (previous is not null)
        {
            foreach (var p in previous.Where(p => !newSet.Contains(p) && !entries.Any(e => e.Set != previous && e.Set.Contains(p))))
            {
                RemoveAt(result, p);
            }
        }

        entries.RemoveAll(e => e.Manager == manager && e.Operation == "Apply");
        entries.Add((manager, "Apply", newSet));
        Write(result, entries, (string?)applied["apiVersion"] ?? "v1");
        return result;
    }

    /// <summary>Records an Update by <paramref name="manager"/>: it takes ownership of every leaf it changed.</summary>
    public static void RecordUpdate(JsonObject? old, JsonObject updated, string manager)
    {
        var entries = Read(old);
        // One walk of each object (a leaf map), not a lookup from the root per leaf: linear in the object's size, so a pod
        // template with thousands of environment variables costs a Job status write no more than a bare pod's.
        var oldLeaves = old is null ? new Dictionary<string, JsonNode?>(StringComparer.Ordinal) : LeafValues(old, false);
        var newLeaves = LeafValues(updated, false);
        var changed = newLeaves.Where(l => !oldLeaves.TryGetValue(l.Key, out var was) || !JsonNode.DeepEquals(was, l.Value))
            .Select(l => l.Key).ToHashSet(StringComparer.Ordinal);
        var newPaths = newLeaves.Keys.ToHashSet(StringComparer.Ordinal);
        foreach (var (_, _, set) in entries)
        {
            set.ExceptWith(changed);
            set.IntersectWith(newPaths);
        }

        var mine = entries.FirstOrDefault(e => e.Manager == manager && e.Operation == "Update").Set;
        if (mine is null)
        {
            mine = new HashSet<string>(StringComparer.Ordinal);
            entries.Add((manager, "Update", mine));
        }

        mine.UnionWith(changed);
        Write(updated, entries, (string?)updated["apiVersion"] ?? "v1");
    }

    private static List<(string Manager, string Operation, HashSet<string> Set)> Read(JsonObject? obj)
    {
        var list = new List<(string, string, HashSet<string>)>();
        if (obj?["metadata"]?["managedFields"] is not JsonArray mf)
        {
            return list;
        }

        foreach (var e in mf.OfType<JsonObject>())
        {
            var set = new HashSet<string>(StringComparer.Ordinal);
            if (e["fieldsV1"] is JsonObject f)
            {
                Flatten(f, "", set);
            }

            list.Add(((string?)e["manager"] ?? "", (string?)e["operation"] ?? "Update", set));
        }

        return list;
    }

    private static void Write(JsonObject obj, List<(string Manager, string Operation, HashSet<string> Set)> entries, string apiVersion)
    {
        var arr = new JsonArray();
        var now = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        foreach (var (m, op, set) in entries.Where(e => e.Set.Count > 0))
        {
            arr.Add(new JsonObject
            {
                ["manager"] = m,
                ["operation"] = op,
                ["apiVersion"] = apiVersion,
                ["time"] = now,
                ["fieldsType"] = "FieldsV1",
                ["fieldsV1"] = Tree(set),
            });
        }

        var meta = obj["metadata"] as JsonObject ?? [];
        obj["metadata"] = meta;
        if (arr.Count > 0)
        {
            meta["managedFields"] = arr;
        }
        else
        {
            meta.Remove("managedFields");
        }
    }

    /// <summary>The FieldsV1 tree of a set of leaf paths.</summary>
    private static JsonObject Tree(IEnumerable<string> set)
    {
        var tree = new JsonObject();
        foreach (var p in set.Order(StringComparer.Ordinal))
        {
            var node = tree;
            foreach (var seg in Split(p))
            {
                if (node[seg] is not JsonObject child)
                {
                    child = [];
                    node[seg] = child;
                    if (seg.StartsWith("k:", StringComparison.Ordinal))
                    {
                        child["."] = new JsonObject();
                    }
                }

                node = child;
            }
        }

        return tree;
    }

    private static void Flatten(JsonObject node, string prefix, HashSet<string> set)
    {
        var any = false;
        foreach (var (k, v) in node)
        {
            if (k == ".")
            {
                continue;
            }

            any = true;
            Flatten(v as JsonObject ?? [], prefix.Length == 0 ? k : prefix + "\u0001" + k, set);
        }

        if (!any && prefix.Length > 0)
        {
            set.Add(prefix);
        }
    }

    private static string[] Split(string path) => path.Split('\u0001');

    private static string Display(string path) =>
        "." + string.Join(".", Split(path).Select(s => s.StartsWith("f:", StringComparison.Ordinal) ? s[2..] : "[" + s[2..] + "]"));

    /// <summary>Leaf paths of an object with their values (the first item wins when a keyed list repeats a key).</summary>
    private static Dictionary<string, JsonNode?> LeafValues(JsonObject obj, bool statusOnly)
    {
        var leaves = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
        foreach (var (path, value) in Paths(obj, statusOnly))
        {
            leaves.TryAdd(path, value);
        }

        return leaves;
    }

    /// <summary>Leaf paths of an object (objects recurse, keyed lists recurse by key, everything else is a leaf).</summary>
    private static IEnumerable<(string Path, JsonNode? Value)> Paths(JsonObject obj, bool statusOnly)
    {
        foreach (var (k, v) in obj)
        {
            if (k is "apiVersion" or "kind" || (statusOnly && k != "status"))
            {
                continue;
            }

            if (k == "metadata" && v is JsonObject meta)
            {
                foreach (var (mk, mv) in meta)
                {
                    if (IgnoredMetadata.Contains(mk))
                    {
                        continue;
                    }

                    foreach (var p in Leaves(mv, mk, "f:metadata\u0001f:" + mk))
                    {
                        yield return p;
                    }
                }

                continue;
            }

            foreach (var p in Leaves(v, k, "f:" + k))
            {
                yield return p;
            }
        }
    }

    private static IEnumerable<(string Path, JsonNode? Value)> Leaves(JsonNode? v, string name, string prefix)
    {
        if (v is JsonObject o && o.Count > 0)
        {
            foreach (var (k, c) in o)
            {
                foreach (var p in Leaves(c, k, prefix + "\u0001f:" + k))
                {
                    yield return p;
                }
            }
        }
        else if (v is JsonArray a && a.Count > 0 && KeyedLists.TryGetValue(name, out var key) && a.All(i => i is JsonObject io && io[key] is not null))
        {
            foreach (var item in a.OfType<JsonObject>())
            {
                var itemPrefix = prefix + "\u0001k:" + new JsonObject { [key] = item[key]!.DeepClone() }.ToJsonString(SandboxJson.Options);
                foreach (var p in Leaves(item, "", itemPrefix))
                {
                    yield return p;
                }
            }
        }
        else
        {
            yield return (prefix, v);
        }
    }

    private static JsonNode? Step(JsonNode? node, string seg)
    {
        if (seg.StartsWith("f:", StringComparison.Ordinal))
        {
            return (node as JsonObject)?[seg[2..]];
        }

        if (seg.StartsWith("k:", StringComparison.Ordinal) && node is JsonArray a)
        {
            var key = JsonNode.Parse(seg[2..]) as JsonObject;
            return a.OfType<JsonObject>().FirstOrDefault(i => key!.All(kv => JsonNode.DeepEquals(i[kv.Key], kv.Value)));
        }

        return null;
    }

    private static void RemoveAt(JsonObject obj, string path)
    {
        var segs = Split(path);
        JsonNode? parent = obj;
        for (var i = 0; i < segs.Length - 1; i++)
        {
            parent = Step(parent, segs[i]);
        }

        var last = segs[^1];
        if (parent is JsonObject po && last.StartsWith("f:", StringComparison.Ordinal))
        {
            po.Remove(last[2..]);
        }
        else if (parent is JsonArray pa && Step(pa, last) is JsonNode item)
        {
            pa.Remove(item);
        }
    }

    private static void Merge(JsonObject target, JsonObject applied)
    {
        foreach (var (k, v) in applied)
        {
            var existing = target[k];
            if (v is JsonObject vo && existing is JsonObject eo)
            {
                Merge(eo, vo);
            }
            else if (v is JsonArray va && existing is JsonArray ea && KeyedLists.TryGetValue(k, out var key))
            {
                var byKey = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
                foreach (var e in ea.OfType<JsonObject>())
                {
                    byKey.TryAdd(e[key]?.ToJsonString() ?? "null", e);
                }

                foreach (var item in va.OfType<JsonObject>())
                {
                    var itemKey = item[key]?.ToJsonString() ?? "null";
                    if (byKey.TryGetValue(itemKey, out var match))
                    {
                        Merge(match, item);
                    }
                    else
                    {
                        var added = (JsonObject)item.DeepClone();
                        ea.Add(added);
                        byKey[itemKey] = added;
                    }
                }
            }
            else
            {
                target.Remove(k);
                target[k] = v?.DeepClone();
            }
        }
    }

    /// <summary>Parses an apply body: JSON, or YAML (which JSON is a subset of).</summary>
    public static JsonObject ParseApplyBody(string body)
    {
        try
        {
            return JsonNode.Parse(body) as JsonObject ?? throw ApiException.BadRequest("the apply body is not an object");
        }
        catch (JsonException)
        {
            return YamlToJson.Parse(body) as JsonObject ?? throw ApiException.BadRequest("the apply body is not an object");
        }
    }
}
