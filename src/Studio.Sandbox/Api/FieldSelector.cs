using System.Text.Json.Nodes;
using Studio.Sandbox.Resources;
using Studio.Sandbox.Storage;

namespace Studio.Sandbox.Api;

/// <summary>A parsed field selector (<c>metadata.name=x,status.phase!=Running</c>) limited to the fields each kind supports.</summary>
internal sealed class FieldSelector
{
    private static readonly string[] EventFields =
    [
        "involvedObject.kind", "involvedObject.namespace", "involvedObject.name", "involvedObject.uid", "involvedObject.apiVersion",
        "involvedObject.resourceVersion", "involvedObject.fieldPath", "reason", "reportingComponent", "source", "type",
        "regarding.kind", "regarding.namespace", "regarding.name", "regarding.uid", "reportingController", "note",
    ];

    private readonly List<(string Field, bool Equal, string Value)> _terms;

    private FieldSelector(List<(string, bool, string)> terms) => _terms = terms;

    public bool IsEmpty => _terms.Count == 0;

    /// <summary>The name this selector pins (metadata.name=x), if any.</summary>
    public string? Name => _terms.FirstOrDefault(t => t.Field == "metadata.name" && t.Equal).Value;

    public static FieldSelector Parse(string? text, ResourceType type)
    {
        var terms = new List<(string, bool, string)>();
        if (string.IsNullOrWhiteSpace(text))
        {
            return new FieldSelector(terms);
        }

        foreach (var raw in text.Split(','))
        {
            var part = raw.Trim();
            if (part.Length == 0)
            {
                continue;
            }

            string field, value;
            bool equal;
            var i = part.IndexOf("!=", StringComparison.Ordinal);
            if (i > 0)
            {
                (field, equal, value) = (part[..i], false, part[(i + 2)..]);
            }
            else if ((i = part.IndexOf("==", StringComparison.Ordinal)) > 0)
            {
                (field, equal, value) = (part[..i], true, part[(i + 2)..]);
            }
            else if ((i = part.IndexOf('=', StringComparison.Ordinal)) > 0)
            {
                (field, equal, value) = (part[..i], true, part[(i + 1)..]);
            }
            else
            {
                throw ApiException.BadRequest($"invalid selector: '{text}'; can't understand '{part}'");
            }

            field = field.Trim();
            if (!Supported(type, field))
            {
                throw ApiException.BadRequest($"field label not supported: {field}");
            }

            terms.Add((field, equal, value.Trim()));
        }

        return new FieldSelector(terms);
    }

    public bool Matches(StoredObject o)
    {
        JsonObject? json = null;
        foreach (var (field, equal, value) in _terms)
        {
            var actual = field switch
            {
                "metadata.name" => o.Name,
                "metadata.namespace" => o.Namespace,
                "status.phase" when o.Phase is not null || o.StorageKey is "pods" or "namespaces" => o.Phase ?? "",
                "spec.nodeName" when o.StorageKey == "pods" => o.NodeName ?? "",
                _ => Lookup(json ??= o.ToJsonObject(), field),
            };
            if ((actual == value) != equal)
            {
                return false;
            }
        }

        return true;
    }

    private static string Lookup(JsonObject obj, string field)
    {
        JsonNode? node = obj;
        foreach (var seg in field.Split('.'))
        {
            node = node is JsonObject jo ? jo[seg] : null;
        }

        return node switch
        {
            null => "",
            JsonValue v => v.ToString(),
            JsonObject when field == "source" => (string?)node["component"] ?? "",
            _ => node.ToJsonString(),
        };
    }

    private static bool Supported(ResourceType type, string field)
    {
        if (field is "metadata.name" || (field is "metadata.namespace" && type.Namespaced))
        {
            return true;
        }

        return type.StorageKey switch
        {
            "pods" => field is "spec.nodeName" or "spec.restartPolicy" or "spec.schedulerName" or "spec.serviceAccountName"
                or "spec.hostNetwork" or "status.phase" or "status.podIP" or "status.nominatedNodeName",
            "nodes" => field is "spec.unschedulable",
            "namespaces" => field is "status.phase",
            "secrets" => field is "type",
            "jobs.batch" => field is "status.successful",
            "events" or "events.events.k8s.io" => EventFields.Contains(field),
            _ => false,
        };
    }
}
