using System.Globalization;
using System.Text.Json.Nodes;
using Studio.Sandbox.Storage;

namespace Studio.Sandbox.Api;

/// <summary>
/// PodDisruptionBudgets and the <c>pods/eviction</c> subresource (what <c>kubectl drain</c> uses): a budget's status is
/// computed from the ready pods its selector matches; an eviction that would take the healthy pods below the budget is
/// refused with 429, as the real API server does, and otherwise deletes the pod with the eviction's delete options.
/// </summary>
internal static class Eviction
{
    public const string StorageKey = "poddisruptionbudgets.policy";

    /// <summary>The expected, healthy and desired-healthy pod counts of a budget over the pods of its namespace.</summary>
    public static (int Expected, int Healthy, int Desired) Counts(JsonObject pdb, IEnumerable<StoredObject> namespacePods)
    {
        var selector = LabelSelector.FromObject(pdb["spec"]?["selector"] as JsonObject);
        var pods = namespacePods.Where(p => !p.Deleting && p.Phase is not ("Succeeded" or "Failed") && selector.Matches(p)).ToList();
        var healthy = pods.Count(p => IsReady(p.ToJsonObject("status")));
        var expected = pods.Count;
        var spec = pdb["spec"] as JsonObject ?? [];
        int desired;
        if (spec["maxUnavailable"] is { } maxUnavailable)
        {
            desired = Math.Max(0, expected - Scaled(maxUnavailable, expected));
        }
        else
        {
            desired = spec["minAvailable"] is { } minAvailable ? Scaled(minAvailable, expected) : expected;
        }

        return (expected, healthy, desired);
    }

    /// <summary>The budget's status as the disruption controller writes it.</summary>
    public static JsonObject Status(JsonObject pdb, IEnumerable<StoredObject> namespacePods, string now)
    {
        var (expected, healthy, desired) = Counts(pdb, namespacePods);
        var allowed = Math.Max(0, healthy - desired);
        var old = pdb["status"]?["conditions"]?[0] as JsonObject;
        var conditionStatus = allowed > 0 ? "True" : "False";
        return new JsonObject
        {
            ["observedGeneration"] = (long?)pdb["metadata"]?["generation"] ?? 1,
            ["disruptionsAllowed"] = allowed,
            ["currentHealthy"] = healthy,
            ["desiredHealthy"] = desired,
            ["expectedPods"] = expected,
            ["conditions"] = new JsonArray(new JsonObject
            {
                ["type"] = "DisruptionAllowed",
                ["status"] = conditionStatus,
                ["reason"] = allowed > 0 ? "SufficientPods" : "InsufficientPods",
                ["message"] = "",
                ["observedGeneration"] = (long?)pdb["metadata"]?["generation"] ?? 1,
                ["lastTransitionTime"] = (string?)old?["status"] == conditionStatus ? (string?)old?["lastTransitionTime"] ?? now : now,
            }),
        };
    }

    public static JsonObject Evict(ObjectService service, string ns, string name, JsonObject body)
    {
        var podType = service.Registry.Find("", "v1", "pods")!;
        var pod = service.Store.Get("pods", ns, name) ?? throw ApiException.NotFound("pods", "", name);
        var options = DeleteOptions(body["deleteOptions"] as JsonObject);
        var ignoresBudgets = pod.Deleting || pod.Phase is "Succeeded" or "Failed" or "Pending" or null;
        if (!ignoresBudgets)
        {
            var namespacePods = service.Store.List("pods", ns, null, 0, _ => true).Items;
            var budgets = service.Store.List(StorageKey, ns, null, 0, b => !b.Deleting).Items.Select(b => b.ToJsonObject())
                .Where(b => LabelSelector.FromObject(b["spec"]?["selector"] as JsonObject) is { IsEmpty: false } s && s.Matches(pod)).ToList();
            if (budgets.Count > 1)
            {
                throw new ApiException(500, "InternalError", "This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.");
            }

            if (budgets.Count == 1)
            {
                var budget = budgets[0];
                var (_, healthy, desired) = Counts(budget, namespacePods);
                var podHealthy = IsReady(pod.ToJsonObject("status"));
                var alwaysAllow = (string?)budget["spec"]?["unhealthyPodEvictionPolicy"] == "AlwaysAllow";
                var allowed = podHealthy ? healthy - desired > 0 : alwaysAllow || healthy >= desired;
                if (!allowed)
                {
                    var budgetName = (string?)budget["metadata"]?["name"];
                    throw new ApiException(429, "TooManyRequests", "Cannot evict pod as it would violate the pod's disruption budget.", new JsonObject
                    {
                        ["causes"] = new JsonArray(new JsonObject
                        {
                            ["reason"] = "DisruptionBudget",
                            ["message"] = $"The disruption budget {budgetName} needs {desired} healthy pods and has {healthy} currently",
                        }),
                    });
                }
            }
        }

        service.Delete(podType, ns, name, options);
        return new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["status"] = "Success",
            ["code"] = 201,
        };
    }

    private static RequestOptions DeleteOptions(JsonObject? o) => new()
    {
        GracePeriodSeconds = (long?)o?["gracePeriodSeconds"],
        PropagationPolicy = (string?)o?["propagationPolicy"],
        DryRun = (o?["dryRun"] as JsonArray)?.Count > 0,
        PreconditionUid = (string?)o?["preconditions"]?["uid"],
        PreconditionResourceVersion = (string?)o?["preconditions"]?["resourceVersion"],
    };

    private static int Scaled(JsonNode value, int expected)
    {
        var text = value.ToString();
        if (text.EndsWith('%') && int.TryParse(text[..^1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var pct))
        {
            return (int)Math.Ceiling(expected * pct / 100.0);
        }

        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : 0;
    }

    private static bool IsReady(JsonObject pod) =>
        (pod["status"]?["conditions"] as JsonArray ?? []).OfType<JsonObject>().Any(c => (string?)c["type"] == "Ready" && (string?)c["status"] == "True");
}
