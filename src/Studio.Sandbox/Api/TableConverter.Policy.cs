using System.Globalization;
using System.Text.Json.Nodes;

namespace Studio.Sandbox.Api;

/// <summary>Table columns of CronJobs, PodDisruptionBudgets, NetworkPolicies, Ingresses and IngressClasses, as kubectl prints them.</summary>
internal static partial class TableConverter
{
    private static List<Column>? MoreColumns(string storageKey) => storageKey switch
    {
        "cronjobs.batch" =>
        [
            NameColumn,
            new("Schedule", "string", 0, o => (string?)o["spec"]?["schedule"] ?? ""),
            new("Timezone", "string", 0, o => (string?)o["spec"]?["timeZone"] ?? "<none>"),
            new("Suspend", "boolean", 0, o => (bool?)o["spec"]?["suspend"] == true ? "True" : "False"),
            new("Active", "integer", 0, o => (long)((o["status"]?["active"] as JsonArray)?.Count ?? 0)),
            new("Last Schedule", "date", 0, o => (string?)o["status"]?["lastScheduleTime"] is { } t ? Age(t) : "<none>"),
            AgeColumn,
            new("Containers", "string", 1, o => string.Join(",", JobContainers(o).Select(c => (string?)c["name"]))),
            new("Images", "string", 1, o => string.Join(",", JobContainers(o).Select(c => (string?)c["image"]))),
            new("Selector", "string", 1, o => "<none>"),
        ],
        "poddisruptionbudgets.policy" =>
        [
            NameColumn,
            new("Min Available", "string", 0, o => o["spec"]?["minAvailable"]?.ToString() ?? "N/A"),
            new("Max Unavailable", "string", 0, o => o["spec"]?["maxUnavailable"]?.ToString() ?? "N/A"),
            new("Allowed Disruptions", "integer", 0, o => (long?)o["status"]?["disruptionsAllowed"] ?? 0),
            AgeColumn,
        ],
        "networkpolicies.networking.k8s.io" =>
        [
            NameColumn,
            new("Pod-Selector", "string", 0, o => LabelSelectorText(o["spec"]?["podSelector"] as JsonObject)),
            AgeColumn,
        ],
        "ingresses.networking.k8s.io" =>
        [
            NameColumn,
            new("Class", "string", 0, o => (string?)o["spec"]?["ingressClassName"] ?? "<none>"),
            new("Hosts", "string", 0, IngressHosts),
            new("Address", "string", 0, o => string.Join(",", (o["status"]?["loadBalancer"]?["ingress"] as JsonArray ?? []).Select(i => (string?)i?["ip"] ?? (string?)i?["hostname"]))),
            new("Ports", "string", 0, o => (o["spec"]?["tls"] as JsonArray)?.Count > 0 ? "80, 443" : "80"),
            AgeColumn,
        ],
        "ingressclasses.networking.k8s.io" =>
        [
            NameColumn,
            new("Controller", "string", 0, o => (string?)o["spec"]?["controller"] ?? ""),
            new("Parameters", "string", 0, o => o["spec"]?["parameters"] is JsonObject p ? $"{(string?)p["kind"]}/{(string?)p["name"]}" : "<none>"),
            AgeColumn,
        ],
        _ => null,
    };

    private static IEnumerable<JsonObject> JobContainers(JsonObject cronJob) =>
        (cronJob["spec"]?["jobTemplate"]?["spec"]?["template"]?["spec"]?["containers"] as JsonArray ?? []).OfType<JsonObject>();

    private static string LabelSelectorText(JsonObject? selector)
    {
        var parts = new List<string>();
        foreach (var (k, v) in selector?["matchLabels"] as JsonObject ?? [])
        {
            parts.Add($"{k}={v}");
        }

        foreach (var e in (selector?["matchExpressions"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var values = string.Join(",", (e["values"] as JsonArray ?? []).Select(v => (string?)v));
            parts.Add((string?)e["operator"] switch
            {
                "In" => $"{(string?)e["key"]} in ({values})",
                "NotIn" => $"{(string?)e["key"]} notin ({values})",
                "Exists" => (string?)e["key"] ?? "",
                _ => $"!{(string?)e["key"]}",
            });
        }

        return parts.Count == 0 ? "<none>" : string.Join(",", parts);
    }

    private static string IngressHosts(JsonObject o)
    {
        var hosts = (o["spec"]?["rules"] as JsonArray ?? []).Select(r => (string?)r?["host"] ?? "*").ToList();
        return hosts.Count == 0 ? "*" : string.Join(",", hosts);
    }

    /// <summary>kubectl's TARGETS column: <c>cpu: 45%/70%</c> per Resource metric (<c>&lt;unknown&gt;</c> before the first sync).</summary>
    private static string HpaTargets(JsonObject o)
    {
        var current = (o["status"]?["currentMetrics"] as JsonArray ?? []).OfType<JsonObject>().ToList();
        var parts = new List<string>();
        foreach (var m in (o["spec"]?["metrics"] as JsonArray ?? []).OfType<JsonObject>().Where(m => (string?)m["type"] == "Resource"))
        {
            var name = (string?)m["resource"]?["name"] ?? "";
            var target = (long?)m["resource"]?["target"]?["averageUtilization"];
            var now = (long?)current.FirstOrDefault(c => (string?)c["resource"]?["name"] == name)?["resource"]?["current"]?["averageUtilization"];
            parts.Add($"{name}: {(now is { } n ? n.ToString(CultureInfo.InvariantCulture) + "%" : "<unknown>")}/{target?.ToString(CultureInfo.InvariantCulture) ?? "?"}%");
        }

        return parts.Count == 0 ? "<none>" : string.Join(", ", parts);
    }
}
