using System.Globalization;
using System.Text.Json.Nodes;

namespace Studio.Sandbox.Simulation;

/// <summary>What a pod needs from a node: requests, node selector, required node affinity, tolerations, priority, gang size.</summary>
internal sealed class PodRequirements
{
    private readonly Dictionary<string, string> _nodeSelector = new(StringComparer.Ordinal);
    private readonly List<List<(string Key, string Op, string[] Values, bool Field)>> _terms = [];
    private readonly List<(string Key, string Op, string Value, string Effect)> _tolerations = [];

    public PodRequirements(JsonObject pod)
    {
        var spec = pod["spec"] as JsonObject;
        Requests = ResourceAmounts.OfPod(pod);
        Priority = spec?["priority"] is JsonValue v && v.TryGetValue<int>(out var p) ? p : 0;
        foreach (var (k, val) in spec?["nodeSelector"] as JsonObject ?? [])
        {
            _nodeSelector[k] = val?.ToString() ?? "";
        }

        var terms = spec?["affinity"]?["nodeAffinity"]?["requiredDuringSchedulingIgnoredDuringExecution"]?["nodeSelectorTerms"] as JsonArray;
        foreach (var term in (terms ?? []).OfType<JsonObject>())
        {
            var list = new List<(string, string, string[], bool)>();
            foreach (var e in (term["matchExpressions"] as JsonArray ?? []).OfType<JsonObject>())
            {
                list.Add(((string?)e["key"] ?? "", (string?)e["operator"] ?? "In", [.. (e["values"] as JsonArray ?? []).Select(x => x?.ToString() ?? "")], false));
            }

            foreach (var e in (term["matchFields"] as JsonArray ?? []).OfType<JsonObject>())
            {
                list.Add(((string?)e["key"] ?? "", (string?)e["operator"] ?? "In", [.. (e["values"] as JsonArray ?? []).Select(x => x?.ToString() ?? "")], true));
            }

            _terms.Add(list);
        }

        foreach (var t in (spec?["tolerations"] as JsonArray ?? []).OfType<JsonObject>())
        {
            _tolerations.Add(((string?)t["key"] ?? "", (string?)t["operator"] ?? "Equal", (string?)t["value"] ?? "", (string?)t["effect"] ?? ""));
        }

        var min = (string?)pod["metadata"]?["annotations"]?[Scheduler.MinMemberAnnotation];
        MinMember = int.TryParse(min, NumberStyles.Integer, CultureInfo.InvariantCulture, out var m) ? m : 1;
    }

    public ResourceAmounts Requests { get; }
    public int Priority { get; set; }
    public int MinMember { get; }

    public bool Tolerates(Taint taint) => _tolerations.Any(t =>
        (t.Effect.Length == 0 || t.Effect == taint.Effect)
        && (t.Op == "Exists" ? t.Key.Length == 0 || t.Key == taint.Key : t.Key == taint.Key && t.Value == taint.Value));

    public bool MatchesNode(NodeState n)
    {
        foreach (var (k, v) in _nodeSelector)
        {
            if (!n.Labels.TryGetValue(k, out var actual) || actual != v)
            {
                return false;
            }
        }

        if (_terms.Count == 0)
        {
            return true;
        }

        foreach (var term in _terms)
        {
            if (term.Count > 0 && term.All(e => Matches(n, e.Key, e.Op, e.Values, e.Field)))
            {
                return true;
            }
        }

        return false;
    }

    private static bool Matches(NodeState n, string key, string op, string[] values, bool field)
    {
        string? actual;
        if (field)
        {
            actual = key == "metadata.name" ? n.Name : null;
        }
        else
        {
            actual = n.Labels.TryGetValue(key, out var a) ? a : null;
        }

        return op switch
        {
            "In" => actual is not null && values.Contains(actual),
            "NotIn" => actual is null || !values.Contains(actual),
            "Exists" => actual is not null,
            "DoesNotExist" => actual is null,
            "Gt" => actual is not null && long.TryParse(actual, CultureInfo.InvariantCulture, out var x) && values.Length == 1 && long.TryParse(values[0], CultureInfo.InvariantCulture, out var y) && x > y,
            "Lt" => actual is not null && long.TryParse(actual, CultureInfo.InvariantCulture, out var x2) && values.Length == 1 && long.TryParse(values[0], CultureInfo.InvariantCulture, out var y2) && x2 < y2,
            _ => false,
        };
    }
}
