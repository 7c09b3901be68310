using System.Text.Json.Nodes;

namespace Studio.Sandbox.Simulation;

/// <summary>Keeps an Endpoints object per Service with a selector: ready pod IPs as addresses, the others as notReadyAddresses.</summary>
internal sealed class EndpointsController
{
    public const string Component = "endpoint-controller";
    private readonly Simulator _sim;

    public EndpointsController(Simulator sim) => _sim = sim;

    public void Reconcile(string ns)
    {
        var (services, _, _, _) = _sim.Store.List("services", ns, null, 0, null);
        if (services.Count == 0)
        {
            return;
        }

        List<JsonObject>? pods = null;
        foreach (var so in services)
        {
            var svc = so.ToJsonObject();
            if (svc["spec"]?["selector"] is not JsonObject selector || selector.Count == 0)
            {
                continue;
            }

            pods ??= [.. _sim.Store.List("pods", ns, null, 0, o => !o.Deleting && o.Phase == "Running").Items.Select(o => o.ToJsonObject())];
            var matching = pods.Where(p => selector.All(kv => (string?)p["metadata"]?["labels"]?[kv.Key] == kv.Value?.ToString())).OrderBy(p => (string?)p["metadata"]?["name"], StringComparer.Ordinal).ToList();
            var ready = new JsonArray();
            var notReady = new JsonArray();
            foreach (var p in matching)
            {
                var address = new JsonObject
                {
                    ["ip"] = (string?)p["status"]?["podIP"],
                    ["nodeName"] = (string?)p["spec"]?["nodeName"],
                    ["targetRef"] = new JsonObject
                    {
                        ["kind"] = "Pod",
                        ["namespace"] = ns,
                        ["name"] = (string?)p["metadata"]?["name"],
                        ["uid"] = (string?)p["metadata"]?["uid"],
                    },
                };
                if ((string?)p["spec"]?["hostname"] is { } host)
                {
                    address["hostname"] = host;
                }

                (PodTemplates.IsReady(p) ? ready : notReady).Add(address);
            }

            var ports = new JsonArray();
            foreach (var port in (svc["spec"]?["ports"] as JsonArray ?? []).OfType<JsonObject>())
            {
                var target = port["targetPort"]?.ToString() ?? port["port"]?.ToString() ?? "0";
                if (!int.TryParse(target, out var number))
                {
                    number = matching.SelectMany(p => (p["spec"]?["containers"] as JsonArray ?? []).OfType<JsonObject>())
                        .SelectMany(c => (c["ports"] as JsonArray ?? []).OfType<JsonObject>())
                        .Where(cp => (string?)cp["name"] == target).Select(cp => (int?)cp["containerPort"] ?? 0).FirstOrDefault();
                }

                var ep = new JsonObject { ["port"] = number, ["protocol"] = (string?)port["protocol"] ?? "TCP" };
                if ((string?)port["name"] is { } pn)
                {
                    ep["name"] = pn;
                }

                ports.Add(ep);
            }

            var subsets = new JsonArray();
            if (matching.Count > 0)
            {
                var subset = new JsonObject();
                if (ready.Count > 0)
                {
                    subset["addresses"] = ready;
                }

                if (notReady.Count > 0)
                {
                    subset["notReadyAddresses"] = notReady;
                }

                subset["ports"] = ports;
                subsets.Add(subset);
            }

            var existing = _sim.Store.Get("endpoints", ns, so.Name)?.ToJsonObject();
            if (existing is null)
            {
                _sim.Service.Create(_sim.Endpoints, ns, new JsonObject
                {
                    ["apiVersion"] = "v1",
                    ["kind"] = "Endpoints",
                    ["metadata"] = new JsonObject { ["name"] = so.Name, ["namespace"] = ns, ["labels"] = svc["metadata"]?["labels"]?.DeepClone() },
                    ["subsets"] = subsets,
                }, Simulator.As(Component));
            }
            else if (!JsonNode.DeepEquals(existing["subsets"] ?? new JsonArray(), subsets))
            {
                existing["subsets"] = subsets;
                _sim.Service.Update(_sim.Endpoints, ns, so.Name, existing, Simulator.As(Component));
            }
        }
    }
}
