using System.Text.Json.Nodes;
using Studio.Sandbox.Storage;

namespace Studio.Sandbox.Simulation;

/// <summary>
/// The two hot writes of the simulation, done as the real API server's dedicated paths do them rather than through the
/// generic update path: pod binding (the <c>pods/binding</c> subresource sets spec.nodeName) and the kubelet's pod status
/// update. Both keep resourceVersion semantics (optimistic concurrency, one watch event each) and record a managedFields
/// entry for their manager; they skip the generic update's validation, which these writes cannot violate.
/// </summary>
internal static class FastWrites
{
    private static readonly ResourceRef PodsRef = new("", "pods");

    public static void Bind(ObjectStore store, string ns, string name, string node, string manager)
    {
        Write(store, ns, name, pod =>
        {
            if (pod["spec"] is not JsonObject spec || spec["nodeName"] is not null)
            {
                throw Api.ApiException.Conflict("pods", "", name, $"pod {name} is already assigned to node \"{(string?)pod["spec"]?["nodeName"]}\"");
            }

            spec["nodeName"] = node;
            Track(pod, manager, null, new JsonObject { ["f:spec"] = new JsonObject { ["f:nodeName"] = new JsonObject() } });
        });
    }

    public static void PodStatus(ObjectStore store, string ns, string name, JsonObject status, string manager)
    {
        Write(store, ns, name, pod =>
        {
            foreach (var key in status.Select(kv => kv.Key).ToList())
            {
                if (status[key] is null)
                {
                    status.Remove(key);
                }
            }

            pod["status"] = status;
            var fields = new JsonObject();
            foreach (var (k, _) in status)
            {
                fields["f:" + k] = new JsonObject();
            }

            Track(pod, manager, "status", new JsonObject { ["f:status"] = fields });
        });
    }

    private static void Write(ObjectStore store, string ns, string name, Action<JsonObject> change)
    {
        for (var attempt = 0; ; attempt++)
        {
            var current = store.Get("pods", ns, name) ?? throw Api.ApiException.NotFound("pods", "", name);
            var pod = current.ToJsonObject();
            change(pod);
            try
            {
                store.Put(PodsRef, pod, current.ResourceVersion);
                return;
            }
            catch (Api.ApiException e) when (e.Reason == "Conflict" && attempt < 3)
            {
            }
        }
    }

    private static void Track(JsonObject pod, string manager, string? subresource, JsonObject fields)
    {
        var meta = (JsonObject)pod["metadata"]!;
        var entries = meta["managedFields"] as JsonArray ?? [];
        meta["managedFields"] = entries;
        var entry = entries.OfType<JsonObject>().FirstOrDefault(e => (string?)e["manager"] == manager && (string?)e["operation"] == "Update" && (string?)e["subresource"] == subresource);
        if (entry is null)
        {
            entry = new JsonObject { ["manager"] = manager, ["operation"] = "Update", ["apiVersion"] = "v1" };
            entries.Add(entry);
        }

        entry["time"] = Simulator.Timestamp();
        entry["fieldsType"] = "FieldsV1";
        entry["fieldsV1"] = fields;
        if (subresource is not null)
        {
            entry["subresource"] = subresource;
        }
    }
}
