using System.Globalization;
using System.Text.Json.Nodes;
using Studio.Sandbox.Resources;
using Studio.Sandbox.Storage;

namespace Studio.Sandbox.Api;

/// <summary>
/// <c>metrics.k8s.io/v1beta1</c> (what metrics-server serves, and <c>kubectl top</c> reads): NodeMetrics and PodMetrics
/// computed from the store. A running container uses its cpu request (100m without one) times its simulated utilisation
/// (the <c>sandbox.studio/cpu-utilization</c> annotation in percent, optionally suffixed <c>.CONTAINER</c>, else 50 — the
/// same figure the HorizontalPodAutoscaler controller scales on), and the memory of <c>sandbox.studio/memory</c> or
/// <c>memory-utilization</c> percent of its request (64Mi without one); a node uses what its running pods use plus
/// 100m and 512Mi for the system. Pods that are not running have no metrics, as with metrics-server.
/// </summary>
internal static class MetricsApi
{
    public const string Group = "metrics.k8s.io";
    public const string Version = "v1beta1";
    private const string Prefix = "sandbox.studio/";
    private const string Window = "10.000s";

    public static IReadOnlyList<ResourceType> Types { get; } =
    [
        new() { Group = Group, Version = Version, Plural = "nodes", Singular = "", Kind = "NodeMetrics", Namespaced = false, Verbs = ["get", "list"] },
        new() { Group = Group, Version = Version, Plural = "pods", Singular = "", Kind = "PodMetrics", Namespaced = true, Verbs = ["get", "list"] },
    ];

    /// <summary>The answer to a GET under <c>/apis/metrics.k8s.io/v1beta1</c>: one object or a list.</summary>
    public static JsonObject Get(ObjectStore store, string plural, string? ns, string? name, LabelSelector selector)
    {
        var now = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        var running = store.List("pods", null, null, 0, p => p.Phase == "Running" && !p.Deleting).Items;
        if (plural == "nodes")
        {
            var nodes = store.List("nodes", null, null, 0, n => (name is null || n.Name == name) && selector.Matches(n)).Items;
            if (name is not null && nodes.Count == 0)
            {
                throw ApiException.NotFound("nodes", Group, name);
            }

            var byNode = running.Where(p => p.NodeName is not null).GroupBy(p => p.NodeName!).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
            var items = nodes.Select(n =>
            {
                var (cpu, memory) = (100L, 512L * 1024 * 1024);
                foreach (var pod in byNode.GetValueOrDefault(n.Name) ?? [])
                {
                    foreach (var (_, c, m) in ContainerUsage(pod.ToJsonObject("metadata", "spec")))
                    {
                        cpu += c;
                        memory += m;
                    }
                }

                return Metrics("NodeMetrics", n.Name, null, now, new JsonObject { ["usage"] = Usage(cpu, memory) });
            }).ToList();
            return name is not null ? items[0] : List("NodeMetricsList", items);
        }

        var pods = running.Where(p => (ns is null || p.Namespace == ns) && (name is null || p.Name == name) && selector.Matches(p)).ToList();
        if (name is not null && pods.Count == 0)
        {
            throw ApiException.NotFound("pods", Group, name);
        }

        var podItems = pods.Select(p =>
        {
            var containers = new JsonArray();
            foreach (var (container, c, m) in ContainerUsage(p.ToJsonObject("metadata", "spec")))
            {
                containers.Add(new JsonObject { ["name"] = container, ["usage"] = Usage(c, m) });
            }

            return Metrics("PodMetrics", p.Name, p.Namespace, now, new JsonObject { ["containers"] = containers });
        }).ToList();
        return name is not null ? podItems[0] : List("PodMetricsList", podItems);
    }

    /// <summary>Per container: name, cpu in millicores, memory in bytes.</summary>
    private static IEnumerable<(string Name, long CpuMilli, long MemoryBytes)> ContainerUsage(JsonObject pod)
    {
        var annotations = pod["metadata"]?["annotations"] as JsonObject;
        foreach (var c in (pod["spec"]?["containers"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var name = (string?)c["name"] ?? "";
            string? A(string key) => (string?)annotations?[Prefix + key + "." + name] ?? (string?)annotations?[Prefix + key];
            var cpuRequest = Simulation.Quantity.Milli((string?)c["resources"]?["requests"]?["cpu"] ?? (string?)c["resources"]?["limits"]?["cpu"]);
            var cpu = (cpuRequest > 0 ? cpuRequest : 100) * Percent(A("cpu-utilization")) / 100;
            var memoryRequest = Simulation.Quantity.Whole((string?)c["resources"]?["requests"]?["memory"] ?? (string?)c["resources"]?["limits"]?["memory"]);
            var memory = A("memory") is { } used ? Simulation.Quantity.Whole(used)
                : (memoryRequest > 0 ? memoryRequest : 128L * 1024 * 1024) * Percent(A("memory-utilization")) / 100;
            yield return (name, Math.Max(1, cpu), Math.Max(1024 * 1024, memory));
        }
    }

    private static long Percent(string? value) =>
        long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var p) && p >= 0 ? p : 50;

    private static JsonObject Usage(long cpuMilli, long memoryBytes) => new()
    {
        ["cpu"] = cpuMilli.ToString(CultureInfo.InvariantCulture) + "m",
        ["memory"] = (memoryBytes / 1024).ToString(CultureInfo.InvariantCulture) + "Ki",
    };

    private static JsonObject Metrics(string kind, string name, string? ns, string now, JsonObject body)
    {
        var meta = new JsonObject { ["name"] = name, ["creationTimestamp"] = now };
        if (ns is not null)
        {
            meta["namespace"] = ns;
        }

        var result = new JsonObject { ["kind"] = kind, ["apiVersion"] = Group + "/" + Version, ["metadata"] = meta, ["timestamp"] = now, ["window"] = Window };
        foreach (var (k, v) in body.ToList())
        {
            body.Remove(k);
            result[k] = v;
        }

        return result;
    }

    private static JsonObject List(string kind, List<JsonObject> items) => new()
    {
        ["kind"] = kind,
        ["apiVersion"] = Group + "/" + Version,
        ["metadata"] = new JsonObject(),
        ["items"] = new JsonArray([.. items]),
    };
}
