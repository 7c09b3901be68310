using System.Text.Json.Nodes;

namespace Studio.Sandbox.Api;

/// <summary>JSON merge patch (RFC 7386), JSON patch (RFC 6902) and strategic merge patch.</summary>
internal static class Patcher
{
    /// <summary>Merge keys of the lists strategic merge patch merges by key; every other list is replaced.</summary>
    private static readonly Dictionary<string, string> MergeKeys = new(StringComparer.Ordinal)
    {
        ["containers"] = "name",
        ["initContainers"] = "name",
        ["ephemeralContainers"] = "name",
        ["env"] = "name",
        ["ports"] = "containerPort",
        ["volumes"] = "name",
        ["volumeMounts"] = "mountPath",
        ["volumeDevices"] = "devicePath",
        ["imagePullSecrets"] = "name",
        ["conditions"] = "type",
        ["ownerReferences"] = "uid",
        ["hostAliases"] = "ip",
        ["topologySpreadConstraints"] = "topologyKey",
        ["resourceClaims"] = "name",
        ["containerStatuses"] = "name",
        ["initContainerStatuses"] = "name",
        ["taints"] = "key",
        ["addresses"] = "type",
        ["images"] = "names",
    };

    /// <summary>Primitive lists that strategic merge patch merges as sets.</summary>
    private static readonly HashSet<string> MergedPrimitiveLists = new(StringComparer.Ordinal) { "finalizers" };

    public static JsonNode? MergePatch(JsonNode? target, JsonNode? patch)
    {
        if (patch is not JsonObject po)
        {
            return patch?.DeepClone();
        }

        var result = target as JsonObject ?? [];
        foreach (var (key, value) in po)
        {
            if (value is null)
            {
                result.Remove(key);
            }
            else
            {
                var existing = result[key];
                result.Remove(key);
                result[key] = MergePatch(existing?.DeepClone(), value);
            }
        }

        return result;
    }

    public static JsonNode? JsonPatch(JsonNode? target, JsonArray ops)
    {
        var root = target;
        foreach (var op in ops)
        {
            if (op is not JsonObject o)
            {
                throw ApiException.BadRequest("invalid JSON patch: operation is not an object");
            }

            var kind = (string?)o["op"];
            var path = (string?)o["path"] ?? throw ApiException.BadRequest("invalid JSON patch: missing path");
            switch (kind)
            {
                case "add":
                    root = Add(root, path, o["value"]?.DeepClone(), replace: false);
                    break;
                case "replace":
                    Resolve(root, path);
                    root = Add(root, path, o["value"]?.DeepClone(), replace: true);
                    break;
                case "remove":
                    root = RemoveAt(root, path, out _);
                    break;
                case "move":
                {
                    root = RemoveAt(root, (string?)o["from"] ?? "", out var moved);
                    root = Add(root, path, moved, replace: false);
                    break;
                }

                case "copy":
                    root = Add(root, path, Resolve(root, (string?)o["from"] ?? "")?.DeepClone(), replace: false);
                    break;
                case "test":
                {
                    var actual = Resolve(root, path);
                    if (!JsonNode.DeepEquals(actual, o["value"]))
                    {
                        throw new ApiException(422, "Invalid", $"the server rejected our request due to an error in our request: test operation failed at {path}");
                    }

                    break;
                }

                default:
                    throw ApiException.BadRequest($"invalid JSON patch: unknown op \"{kind}\"");
            }
        }

        return root;
    }

    public static JsonObject StrategicMerge(JsonObject target, JsonObject patch)
    {
        var result = (JsonObject)target.DeepClone();
        MergeObject(result, patch);
        return result;
    }

    private static void MergeObject(JsonObject target, JsonObject patch)
    {
        if ((string?)patch["$patch"] == "replace")
        {
            target.Clear();
            foreach (var (k, v) in patch)
            {
                if (k != "$patch")
                {
                    target[k] = v?.DeepClone();
                }
            }

            return;
        }

        if (patch["$retainKeys"] is JsonArray retain)
        {
            var keep = retain.Select(r => (string?)r).ToHashSet();
            foreach (var k in target.Select(kv => kv.Key).Where(k => !keep.Contains(k)).ToList())
            {
                target.Remove(k);
            }
        }

        foreach (var (key, value) in patch)
        {
            if (key.StartsWith("$setElementOrder/", StringComparison.Ordinal) || key is "$retainKeys" or "$patch")
            {
                continue;
            }

            if (key.StartsWith("$deleteFromPrimitiveList/", StringComparison.Ordinal))
            {
                var field = key["$deleteFromPrimitiveList/".Length..];
                if (target[field] is JsonArray arr && value is JsonArray remove)
                {
                    foreach (var item in arr.Where(i => remove.Any(r => JsonNode.DeepEquals(r, i))).ToList())
                    {
                        arr.Remove(item);
                    }
                }

                continue;
            }

            if (value is null)
            {
                target.Remove(key);
                continue;
            }

            var existing = target[key];
            if (value is JsonObject vo && (string?)vo["$patch"] == "delete")
            {
                target.Remove(key);
            }
            else if (value is JsonObject vobj && existing is JsonObject eobj)
            {
                MergeObject(eobj, vobj);
            }
            else if (value is JsonArray varr && existing is JsonArray earr && MergeKeys.TryGetValue(key, out var mergeKey))
            {
                MergeList(earr, varr, mergeKey);
            }
            else if (value is JsonArray parr && existing is JsonArray pearr && MergedPrimitiveLists.Contains(key))
            {
                foreach (var v in parr)
                {
                    if (!pearr.Any(e => JsonNode.DeepEquals(e, v)))
                    {
                        pearr.Add(v?.DeepClone());
                    }
                }
            }
            else
            {
                target.Remove(key);
                target[key] = Strip(value.DeepClone());
            }
        }
    }

    private static void MergeList(JsonArray target, JsonArray patch, string mergeKey)
    {
        if (patch.OfType<JsonObject>().Any(p => (string?)p["$patch"] == "replace"))
        {
            target.Clear();
            foreach (var p in patch.OfType<JsonObject>().Where(p => (string?)p["$patch"] != "replace"))
            {
                target.Add(Strip(p.DeepClone()));
            }

            return;
        }

        foreach (var item in patch)
        {
            if (item is not JsonObject po)
            {
                target.Add(item?.DeepClone());
                continue;
            }

            var keyValue = po[mergeKey];
            var match = target.OfType<JsonObject>().FirstOrDefault(t => JsonNode.DeepEquals(t[mergeKey], keyValue));
            if ((string?)po["$patch"] == "delete")
            {
                if (match is not null)
                {
                    target.Remove(match);
                }
            }
            else if (match is not null)
            {
                MergeObject(match, po);
            }
            else
            {
                target.Add(Strip(po.DeepClone()));
            }
        }
    }

    /// <summary>Removes patch directives from a value that is inserted wholesale.</summary>
    private static JsonNode? Strip(JsonNode? node)
    {
        if (node is JsonObject o)
        {
            foreach (var k in o.Select(kv => kv.Key).Where(k => k.StartsWith('$')).ToList())
            {
                o.Remove(k);
            }

            foreach (var (_, v) in o)
            {
                Strip(v);
            }
        }
        else if (node is JsonArray a)
        {
            foreach (var v in a)
            {
                Strip(v);
            }
        }

        return node;
    }

    private static string[] Tokens(string path)
    {
        if (path.Length == 0)
        {
            return [];
        }

        if (path[0] != '/')
        {
            throw ApiException.BadRequest($"invalid JSON patch path \"{path}\"");
        }

        return [.. path[1..].Split('/').Select(t => t.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal))];
    }

    private static JsonNode? Resolve(JsonNode? root, string path)
    {
        var node = root;
        foreach (var t in Tokens(path))
        {
            node = node switch
            {
                JsonObject o when o.ContainsKey(t) => o[t],
                JsonArray a when int.TryParse(t, out var i) && i >= 0 && i < a.Count => a[i],
                _ => throw new ApiException(422, "Invalid", $"the server rejected our request due to an error in our request: path {path} does not exist"),
            };
        }

        return node;
    }

    private static JsonNode? Add(JsonNode? root, string path, JsonNode? value, bool replace)
    {
        var tokens = Tokens(path);
        if (tokens.Length == 0)
        {
            return value;
        }

        var parent = Resolve(root, "/" + string.Join('/', tokens[..^1].Select(Escape)));
        var last = tokens[^1];
        switch (parent)
        {
            case JsonObject o:
                o.Remove(last);
                o[last] = value;
                break;
            case JsonArray a when last == "-":
                a.Add(value);
                break;
            case JsonArray a when int.TryParse(last, out var i) && i >= 0 && i <= a.Count:
                if (replace)
                {
                    a[i] = value;
                }
                else
                {
                    a.Insert(i, value);
                }

                break;
            default:
                throw new ApiException(422, "Invalid", $"the server rejected our request due to an error in our request: cannot add at {path}");
        }

        return root;
    }

    private static JsonNode? RemoveAt(JsonNode? root, string path, out JsonNode? removed)
    {
        var tokens = Tokens(path);
        var parent = Resolve(root, "/" + string.Join('/', tokens[..^1].Select(Escape)));
        var last = tokens[^1];
        switch (parent)
        {
            case JsonObject o when o.ContainsKey(last):
                removed = o[last];
                o.Remove(last);
                break;
            case JsonArray a when int.TryParse(last, out var i) && i >= 0 && i < a.Count:
                removed = a[i];
                a.RemoveAt(i);
                break;
            default:
                throw new ApiException(422, "Invalid", $"the server rejected our request due to an error in our request: path {path} does not exist");
        }

        return root;
    }

    private static string Escape(string token) => token.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);
}
