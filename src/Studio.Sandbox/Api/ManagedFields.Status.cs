using System.Text.Json.Nodes;

namespace Studio.Sandbox.Api;

/// <summary>Field ownership of status-subresource writes.</summary>
internal static partial class ManagedFields
{
    /// <summary>
    /// Records an Update through the status subresource, which can change nothing but <c>status</c>: only the
    /// <c>f:status</c> part of each entry is read and rewritten, so the cost follows the size of the status, not of the
    /// object (a Job's status writes no longer walk a pod template with thousands of environment variables).
    /// </summary>
    public static void RecordStatusUpdate(JsonObject old, JsonObject updated, string manager)
    {
        var oldLeaves = LeafValues(old, statusOnly: true);
        var newLeaves = LeafValues(updated, statusOnly: true);
        var changed = newLeaves.Where(l => !oldLeaves.TryGetValue(l.Key, out var was) || !JsonNode.DeepEquals(was, l.Value))
            .Select(l => l.Key).ToHashSet(StringComparer.Ordinal);
        var meta = updated["metadata"] as JsonObject ?? [];
        updated["metadata"] = meta;
        var entries = meta["managedFields"] as JsonArray ?? [];
        var now = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);
        var mineFound = false;
        foreach (var entry in entries.OfType<JsonObject>().ToList())
        {
            var mine = (string?)entry["manager"] == manager && ((string?)entry["operation"] ?? "Update") == "Update" && !mineFound;
            mineFound |= mine;
            var fields = entry["fieldsV1"] as JsonObject;
            if (fields?["f:status"] is not JsonObject && !mine)
            {
                continue;
            }

            var set = new HashSet<string>(StringComparer.Ordinal);
            if (fields?["f:status"] is JsonObject tree)
            {
                Flatten(tree, "f:status", set);
            }

            var before = set.Count;
            set.ExceptWith(changed);
            set.RemoveWhere(p => !newLeaves.ContainsKey(p));
            if (mine)
            {
                set.UnionWith(changed);
            }
            else if (set.Count == before)
            {
                continue; // only removals happen to others' sets: the same count is the same set
            }

            fields ??= [];
            entry["fieldsV1"] = fields;
            fields.Remove("f:status");
            if (set.Count > 0)
            {
                fields["f:status"] = Tree(set)["f:status"]!.DeepClone();
            }

            if (fields.Count == 0)
            {
                entries.Remove(entry);
                continue;
            }

            if (mine && changed.Count > 0)
            {
                entry["time"] = now;
                entry["fieldsType"] = "FieldsV1";
            }
        }

        if (!mineFound && changed.Count > 0)
        {
            entries.Add(new JsonObject
            {
                ["manager"] = manager,
                ["operation"] = "Update",
                ["apiVersion"] = (string?)updated["apiVersion"] ?? "v1",
                ["time"] = now,
                ["fieldsType"] = "FieldsV1",
                ["fieldsV1"] = Tree(changed),
            });
        }

        if (entries.Count > 0)
        {
            meta["managedFields"] = entries;
        }
        else
        {
            meta.Remove("managedFields");
        }
    }
}
