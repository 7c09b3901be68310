using System.Globalization;
using System.Text.Json.Nodes;
using Studio.Sandbox.Resources;

namespace Studio.Sandbox.Api;

/// <summary>Builds <c>meta.k8s.io/v1 Table</c> responses with the columns the real API server prints per kind.</summary>
internal static partial class TableConverter
{
    private sealed record Column(string Name, string Type, int Priority, Func<JsonObject, object?> Cell, string Format = "");

    private static readonly Column NameColumn = new("Name", "string", 0, o => (string?)o["metadata"]?["name"], "name");
    private static readonly Column AgeColumn = new("Age", "string", 0, o => Age((string?)o["metadata"]?["creationTimestamp"]));

    public static JsonObject Table(ResourceType t, IEnumerable<JsonObject> items, bool includeHeaders, string? resourceVersion, string? continueToken)
    {
        var columns = ColumnsFor(t);
        var table = new JsonObject
        {
            ["kind"] = "Table",
            ["apiVersion"] = "meta.k8s.io/v1",
            ["metadata"] = new JsonObject(),
        };
        if (resourceVersion is not null)
        {
            table["metadata"]!["resourceVersion"] = resourceVersion;
        }

        if (continueToken is not null)
        {
            table["metadata"]!["continue"] = continueToken;
        }

        if (includeHeaders)
        {
            table["columnDefinitions"] = new JsonArray([.. columns.Select(c => (JsonNode)new JsonObject
            {
                ["name"] = c.Name,
                ["type"] = c.Type,
                ["format"] = c.Format,
                ["description"] = c.Name,
                ["priority"] = c.Priority,
            })]);
        }

        var rows = new JsonArray();
        foreach (var o in items)
        {
            var cells = new JsonArray();
            foreach (var c in columns)
            {
                object? v;
                try
                {
                    v = c.Cell(o);
                }
                catch (Exception e) when (e is InvalidOperationException or FormatException or InvalidCastException)
                {
                    v = null;
                }

                cells.Add(v switch
                {
                    null => null,
                    JsonNode n => n.DeepClone(),
                    long l => JsonValue.Create(l),
                    int i => JsonValue.Create(i),
                    double d => JsonValue.Create(d),
                    bool b => JsonValue.Create(b),
                    _ => JsonValue.Create(v.ToString()),
                });
            }

            var meta = (o["metadata"] as JsonObject)?.DeepClone() as JsonObject ?? [];
            meta.Remove("managedFields");
            rows.Add(new JsonObject
            {
                ["cells"] = cells,
                ["object"] = new JsonObject
                {
                    ["kind"] = "PartialObjectMetadata",
                    ["apiVersion"] = "meta.k8s.io/v1",
                    ["metadata"] = meta,
                },
            });
        }

        table["rows"] = rows;
        return table;
    }

    private static List<Column> ColumnsFor(ResourceType t)
    {
        if (t.IsCustom)
        {
            var cols = new List<Column> { NameColumn };
            if (t.PrinterColumns is { Count: > 0 } pcs)
            {
                foreach (var pc in pcs.OfType<JsonObject>())
                {
                    var path = (string?)pc["jsonPath"] ?? "";
                    var type = (string?)pc["type"] ?? "string";
                    cols.Add(new Column((string?)pc["name"] ?? path, type, (int?)pc["priority"] ?? 0, o =>
                    {
                        var v = JsonPathLite(o, path);
                        return type == "date" ? Age(v?.ToString()) : v;
                    }, (string?)pc["format"] ?? ""));
                }
            }
            else
            {
                cols.Add(AgeColumn);
            }

            return cols;
        }

        return t.StorageKey switch
        {
            "pods" =>
            [
                NameColumn,
                new("Ready", "string", 0, o => $"{Statuses(o).Count(s => (bool?)s["ready"] == true)}/{(o["spec"]?["containers"] as JsonArray)?.Count ?? 0}"),
                new("Status", "string", 0, PodStatus),
                new("Restarts", "string", 0, o => Statuses(o).Sum(s => (long?)s["restartCount"] ?? 0).ToString(CultureInfo.InvariantCulture)),
                AgeColumn,
                new("IP", "string", 1, o => (string?)o["status"]?["podIP"] ?? "<none>"),
                new("Node", "string", 1, o => (string?)o["spec"]?["nodeName"] ?? "<none>"),
                new("Nominated Node", "string", 1, o => (string?)o["status"]?["nominatedNodeName"] ?? "<none>"),
                new("Readiness Gates", "string", 1, o => "<none>"),
            ],
            "nodes" =>
            [
                NameColumn,
                new("Status", "string", 0, NodeStatus),
                new("Roles", "string", 0, NodeRoles),
                AgeColumn,
                new("Version", "string", 0, o => (string?)o["status"]?["nodeInfo"]?["kubeletVersion"] ?? ""),
                new("Internal-IP", "string", 1, o => Address(o, "InternalIP")),
                new("External-IP", "string", 1, o => Address(o, "ExternalIP")),
                new("OS-Image", "string", 1, o => (string?)o["status"]?["nodeInfo"]?["osImage"] ?? "<unknown>"),
                new("Kernel-Version", "string", 1, o => (string?)o["status"]?["nodeInfo"]?["kernelVersion"] ?? "<unknown>"),
                new("Container-Runtime", "string", 1, o => (string?)o["status"]?["nodeInfo"]?["containerRuntimeVersion"] ?? "<unknown>"),
            ],
            "namespaces" => [NameColumn, new("Status", "string", 0, o => (string?)o["status"]?["phase"] ?? "Active"), AgeColumn],
            "services" =>
            [
                NameColumn,
                new("Type", "string", 0, o => (string?)o["spec"]?["type"] ?? "ClusterIP"),
                new("Cluster-IP", "string", 0, o => (string?)o["spec"]?["clusterIP"] ?? "<none>"),
                new("External-IP", "string", 0, o => (o["spec"]?["externalIPs"] as JsonArray)?.Count > 0 ? string.Join(",", (JsonArray)o["spec"]!["externalIPs"]!) : "<none>"),
                new("Port(s)", "string", 0, ServicePorts),
                AgeColumn,
                new("Selector", "string", 1, o => o["spec"]?["selector"] is JsonObject s && s.Count > 0 ? string.Join(",", s.Select(kv => kv.Key + "=" + kv.Value)) : "<none>"),
            ],
            "deployments.apps" =>
            [
                NameColumn,
                new("Ready", "string", 0, o => $"{Int(o, "status", "readyReplicas")}/{Int(o, "spec", "replicas")}"),
                new("Up-to-date", "integer", 0, o => Int(o, "status", "updatedReplicas")),
                new("Available", "integer", 0, o => Int(o, "status", "availableReplicas")),
                AgeColumn,
                new("Containers", "string", 1, o => Containers(o, "name")),
                new("Images", "string", 1, o => Containers(o, "image")),
                new("Selector", "string", 1, Selector),
            ],
            "replicasets.apps" =>
            [
                NameColumn,
                new("Desired", "integer", 0, o => Int(o, "spec", "replicas")),
                new("Current", "integer", 0, o => Int(o, "status", "replicas")),
                new("Ready", "integer", 0, o => Int(o, "status", "readyReplicas")),
                AgeColumn,
                new("Containers", "string", 1, o => Containers(o, "name")),
                new("Images", "string", 1, o => Containers(o, "image")),
                new("Selector", "string", 1, Selector),
            ],
            "jobs.batch" =>
            [
                NameColumn,
                new("Status", "string", 0, JobStatus),
                new("Completions", "string", 0, o => $"{Int(o, "status", "succeeded")}/{((long?)o["spec"]?["completions"])?.ToString(CultureInfo.InvariantCulture) ?? "1"}"),
                new("Duration", "string", 0, JobDuration),
                AgeColumn,
                new("Containers", "string", 1, o => Containers(o, "name")),
                new("Images", "string", 1, o => Containers(o, "image")),
                new("Selector", "string", 1, Selector),
            ],
            "configmaps" => [NameColumn, new("Data", "integer", 0, o => (long)(((o["data"] as JsonObject)?.Count ?? 0) + ((o["binaryData"] as JsonObject)?.Count ?? 0))), AgeColumn],
            "secrets" => [NameColumn, new("Type", "string", 0, o => (string?)o["type"] ?? "Opaque"), new("Data", "integer", 0, o => (long)((o["data"] as JsonObject)?.Count ?? 0)), AgeColumn],
            "serviceaccounts" => [NameColumn, new("Secrets", "integer", 0, o => (long)((o["secrets"] as JsonArray)?.Count ?? 0)), AgeColumn],
            "endpoints" => [NameColumn, new("Endpoints", "string", 0, Endpoints), AgeColumn],
            "events" =>
            [
                new("Last Seen", "string", 0, o => Age((string?)o["lastTimestamp"] ?? (string?)o["eventTime"] ?? (string?)o["metadata"]?["creationTimestamp"])),
                new("Type", "string", 0, o => (string?)o["type"] ?? ""),
                new("Reason", "string", 0, o => (string?)o["reason"] ?? ""),
                new("Object", "string", 0, o => $"{((string?)o["involvedObject"]?["kind"])?.ToLowerInvariant()}/{(string?)o["involvedObject"]?["name"]}"),
                new("Message", "string", 0, o => (string?)o["message"] ?? ""),
                NameColumn with { Priority = 1 },
            ],
            "persistentvolumeclaims" =>
            [
                NameColumn,
                new("Status", "string", 0, o => (string?)o["status"]?["phase"] ?? "Pending"),
                new("Volume", "string", 0, o => (string?)o["spec"]?["volumeName"] ?? ""),
                new("Capacity", "string", 0, o => (string?)o["status"]?["capacity"]?["storage"] ?? ""),
                new("Access Modes", "string", 0, o => string.Join(",", ((o["status"]?["accessModes"] as JsonArray) ?? []).Select(m => (string?)m switch { "ReadWriteOnce" => "RWO", "ReadOnlyMany" => "ROX", "ReadWriteMany" => "RWX", "ReadWriteOncePod" => "RWOP", var x => x }))),
                new("StorageClass", "string", 0, o => (string?)o["spec"]?["storageClassName"] ?? "<unset>"),
                new("VolumeAttributesClass", "string", 0, o => (string?)o["spec"]?["volumeAttributesClassName"] ?? "<unset>"),
                AgeColumn,
            ],
            "horizontalpodautoscalers.autoscaling" =>
            [
                NameColumn,
                new("Reference", "string", 0, o => $"{(string?)o["spec"]?["scaleTargetRef"]?["kind"]}/{(string?)o["spec"]?["scaleTargetRef"]?["name"]}"),
                new("Targets", "string", 0, HpaTargets),
                new("MinPods", "string", 0, o => ((long?)o["spec"]?["minReplicas"] ?? 1).ToString(CultureInfo.InvariantCulture)),
                new("MaxPods", "string", 0, o => ((long?)o["spec"]?["maxReplicas"] ?? 0).ToString(CultureInfo.InvariantCulture)),
                new("Replicas", "string", 0, o => Int(o, "status", "currentReplicas").ToString(CultureInfo.InvariantCulture)),
                AgeColumn,
            ],
            "priorityclasses.scheduling.k8s.io" =>
            [
                NameColumn,
                new("Value", "integer", 0, o => (long?)o["value"] ?? 0),
                new("Global-Default", "boolean", 0, o => (bool?)o["globalDefault"] ?? false),
                AgeColumn,
                new("PreemptionPolicy", "string", 0, o => (string?)o["preemptionPolicy"] ?? "PreemptLowerPriority"),
            ],
            "rolebindings.rbac.authorization.k8s.io" or "clusterrolebindings.rbac.authorization.k8s.io" =>
                [NameColumn, new("Role", "string", 0, o => $"{(string?)o["roleRef"]?["kind"]}/{(string?)o["roleRef"]?["name"]}"), AgeColumn],
            "resourcequotas" => [NameColumn, AgeColumn, new("Request", "string", 0, o => Quota(o, false)), new("Limit", "string", 0, o => Quota(o, true))],
            "customresourcedefinitions.apiextensions.k8s.io" or "roles.rbac.authorization.k8s.io" or "clusterroles.rbac.authorization.k8s.io" or "limitranges" =>
                [NameColumn, new("Created At", "date", 0, o => (string?)o["metadata"]?["creationTimestamp"])],
            _ => MoreColumns(t.StorageKey) ?? [NameColumn, AgeColumn],
        };
    }

    private static IEnumerable<JsonObject> Statuses(JsonObject o) => (o["status"]?["containerStatuses"] as JsonArray)?.OfType<JsonObject>() ?? [];

    private static long Int(JsonObject o, string section, string field) => (long?)o[section]?[field] ?? 0;

    private static string PodStatus(JsonObject o)
    {
        if (o["metadata"]?["deletionTimestamp"] is not null)
        {
            return "Terminating";
        }

        var reason = (string?)o["status"]?["reason"] ?? (string?)o["status"]?["phase"] ?? "Unknown";
        foreach (var s in Statuses(o))
        {
            if ((string?)s["state"]?["waiting"]?["reason"] is { Length: > 0 } w)
            {
                reason = w;
            }
            else if ((string?)s["state"]?["terminated"]?["reason"] is { Length: > 0 } term)
            {
                reason = term;
            }
        }

        if (reason == "Pending" && o["status"]?["conditions"] is JsonArray conds &&
            conds.Any(c => (string?)c?["type"] == "PodScheduled" && (string?)c?["status"] == "False"))
        {
            return "Pending";
        }

        return reason;
    }

    private static string NodeStatus(JsonObject o)
    {
        var ready = (o["status"]?["conditions"] as JsonArray)?.FirstOrDefault(c => (string?)c?["type"] == "Ready");
        var status = ready is null ? "Unknown" : (string?)ready["status"] == "True" ? "Ready" : "NotReady";
        if ((bool?)o["spec"]?["unschedulable"] == true)
        {
            status += ",SchedulingDisabled";
        }

        return status;
    }

    private static string NodeRoles(JsonObject o)
    {
        var roles = (o["metadata"]?["labels"] as JsonObject)?.Select(kv => kv.Key)
            .Where(k => k.StartsWith("node-role.kubernetes.io/", StringComparison.Ordinal))
            .Select(k => k["node-role.kubernetes.io/".Length..]).Where(r => r.Length > 0).ToList() ?? [];
        return roles.Count == 0 ? "<none>" : string.Join(",", roles);
    }

    private static string Address(JsonObject o, string type) =>
        (string?)(o["status"]?["addresses"] as JsonArray)?.FirstOrDefault(a => (string?)a?["type"] == type)?["address"] ?? "<none>";

    private static string ServicePorts(JsonObject o)
    {
        if (o["spec"]?["ports"] is not JsonArray ports || ports.Count == 0)
        {
            return "<none>";
        }

        return string.Join(",", ports.OfType<JsonObject>().Select(p =>
            p["nodePort"] is not null ? $"{p["port"]}:{p["nodePort"]}/{(string?)p["protocol"] ?? "TCP"}" : $"{p["port"]}/{(string?)p["protocol"] ?? "TCP"}"));
    }

    private static string Containers(JsonObject o, string field) =>
        string.Join(",", ((o["spec"]?["template"]?["spec"]?["containers"] as JsonArray) ?? []).Select(c => (string?)c?[field]));

    private static string Selector(JsonObject o) =>
        o["spec"]?["selector"] is JsonObject s ? LabelSelector.FromObject(s).ToString() : "<none>";

    private static string JobStatus(JsonObject o)
    {
        var conds = (o["status"]?["conditions"] as JsonArray)?.OfType<JsonObject>().Where(c => (string?)c["status"] == "True").Select(c => (string?)c["type"]).ToList() ?? [];
        if (conds.Contains("Complete"))
        {
            return "Complete";
        }

        if (conds.Contains("Failed"))
        {
            return "Failed";
        }

        if (conds.Contains("FailureTarget"))
        {
            return "FailureTarget";
        }

        if (conds.Contains("SuccessCriteriaMet"))
        {
            return "SuccessCriteriaMet";
        }

        return (bool?)o["spec"]?["suspend"] == true ? "Suspended" : "Running";
    }

    private static string JobDuration(JsonObject o)
    {
        if (!TryTime((string?)o["status"]?["startTime"], out var start))
        {
            return "";
        }

        var end = TryTime((string?)o["status"]?["completionTime"], out var c) ? c : DateTime.UtcNow;
        return HumanDuration(end - start);
    }

    private static string Endpoints(JsonObject o)
    {
        var list = new List<string>();
        foreach (var subset in ((o["subsets"] as JsonArray) ?? []).OfType<JsonObject>())
        {
            var ports = ((subset["ports"] as JsonArray) ?? []).Select(p => (long?)p?["port"]).ToList();
            foreach (var a in ((subset["addresses"] as JsonArray) ?? []).OfType<JsonObject>())
            {
                list.AddRange(ports.Count == 0 ? [(string?)a["ip"] ?? ""] : ports.Select(p => $"{(string?)a["ip"]}:{p}"));
            }
        }

        return list.Count == 0 ? "<none>" : string.Join(",", list.Take(3)) + (list.Count > 3 ? $" + {list.Count - 3} more..." : "");
    }

    private static string Quota(JsonObject o, bool limits)
    {
        var hard = o["status"]?["hard"] as JsonObject ?? o["spec"]?["hard"] as JsonObject;
        var used = o["status"]?["used"] as JsonObject;
        return string.Join(", ", (hard ?? []).Where(kv => kv.Key.StartsWith("limits.", StringComparison.Ordinal) == limits)
            .Select(kv => $"{kv.Key}: {used?[kv.Key]?.ToString() ?? "0"}/{kv.Value}"));
    }

    /// <summary>A small subset of JSONPath used by printer columns: <c>.a.b[0].c</c>.</summary>
    public static JsonNode? JsonPathLite(JsonObject o, string path)
    {
        JsonNode? node = o;
        foreach (var raw in path.TrimStart('.').Split('.', StringSplitOptions.RemoveEmptyEntries))
        {
            var seg = raw;
            var idx = -1;
            var b = seg.IndexOf('[', StringComparison.Ordinal);
            if (b >= 0 && seg.EndsWith(']'))
            {
                int.TryParse(seg[(b + 1)..^1], NumberStyles.Integer, CultureInfo.InvariantCulture, out idx);
                seg = seg[..b];
            }

            node = (node as JsonObject)?[seg];
            if (idx >= 0)
            {
                node = node is JsonArray a && idx < a.Count ? a[idx] : null;
            }
        }

        return node;
    }

    private static bool TryTime(string? s, out DateTime t) =>
        DateTime.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out t);

    public static string Age(string? timestamp) =>
        TryTime(timestamp, out var t) ? HumanDuration(DateTime.UtcNow - t) : "<unknown>";

    /// <summary>Go's <c>duration.HumanDuration</c>, as kubectl prints ages.</summary>
    public static string HumanDuration(TimeSpan d)
    {
        var seconds = (long)d.TotalSeconds;
        if (seconds < 0)
        {
            seconds = 0;
        }

        if (seconds < 120)
        {
            return seconds.ToString(CultureInfo.InvariantCulture) + "s";
        }

        var minutes = seconds / 60;
        if (minutes < 10)
        {
            var s = seconds % 60;
            return s == 0 ? $"{minutes}m" : $"{minutes}m{s}s";
        }

        if (minutes < 180)
        {
            return $"{minutes}m";
        }

        var hours = minutes / 60;
        if (hours < 8)
        {
            var m = minutes % 60;
            return m == 0 ? $"{hours}h" : $"{hours}h{m}m";
        }

        if (hours < 48)
        {
            return $"{hours}h";
        }

        if (hours < 24 * 8)
        {
            var h = hours % 24;
            return h == 0 ? $"{hours / 24}d" : $"{hours / 24}d{h}h";
        }

        if (hours < 24 * 365 * 2)
        {
            return $"{hours / 24}d";
        }

        return $"{hours / 24 / 365}y";
    }
}
