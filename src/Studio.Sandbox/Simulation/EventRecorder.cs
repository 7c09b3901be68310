using System.Globalization;
using System.Text.Json.Nodes;
using Studio.Sandbox.Storage;

namespace Studio.Sandbox.Simulation;

/// <summary>Records core/v1 Events about objects, as the scheduler, kubelet and controllers of a real cluster do.</summary>
internal sealed class EventRecorder(Simulator sim)
{
    private long _eventSeq;

    /// <summary>Records a core/v1 Event about an object, as the named component would.</summary>
    public void Record(string kind, string apiVersion, string ns, string name, string uid, string type, string reason, string message, string component, string? host = null, string? fieldPath = null)
    {
        if (!sim.RecordEvents || sim.Store.Get("namespaces", null, ns) is not { Deleting: false })
        {
            return;
        }

        var now = Simulator.Timestamp();
        var involved = new JsonObject { ["kind"] = kind, ["namespace"] = ns, ["name"] = name, ["uid"] = uid, ["apiVersion"] = apiVersion };
        if (fieldPath is not null)
        {
            involved["fieldPath"] = fieldPath;
        }

        var source = new JsonObject { ["component"] = component };
        if (host is not null)
        {
            source["host"] = host;
        }

        var evt = new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Event",
            ["metadata"] = new JsonObject
            {
                ["name"] = name + "." + (DateTime.UtcNow.Ticks + Interlocked.Increment(ref _eventSeq)).ToString("x", CultureInfo.InvariantCulture),
                ["namespace"] = ns,
            },
            ["involvedObject"] = involved,
            ["reason"] = reason,
            ["message"] = message,
            ["type"] = type,
            ["source"] = source,
            ["firstTimestamp"] = now,
            ["lastTimestamp"] = now,
            ["count"] = 1,
            ["reportingComponent"] = component,
            ["reportingInstance"] = host ?? "",
        };
        sim.Service.Create(sim.Events, ns, evt, Simulator.As(component));
    }

    public void Record(StoredObject obj, string kind, string apiVersion, string type, string reason, string message, string component, string? host = null, string? fieldPath = null) =>
        Record(kind, apiVersion, obj.Namespace, obj.Name, obj.Uid, type, reason, message, component, host, fieldPath);
}
