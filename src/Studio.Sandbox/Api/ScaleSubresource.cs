using System.Globalization;
using System.Text.Json.Nodes;
using Studio.Sandbox.Resources;
using Studio.Sandbox.Storage;

namespace Studio.Sandbox.Api;

/// <summary>The scale subresource (autoscaling/v1 Scale) of deployments, replica sets and custom resources that declare one.</summary>
internal static class ScaleSubresource
{
    public static JsonObject Of(ResourceType t, JsonObject obj)
    {
        var meta = (JsonObject)obj["metadata"]!;
        var selector = t.IsCustom
            ? (t.LabelSelectorPath is null ? null : At(obj, t.LabelSelectorPath)?.ToString())
            : (obj["spec"]?["selector"] is JsonObject sel ? LabelSelector.FromObject(sel).ToString() : null);
        var status = new JsonObject { ["replicas"] = (At(obj, t.StatusReplicasPath ?? ".status.replicas")?.DeepClone()) ?? 0 };
        if (selector is not null)
        {
            status["selector"] = selector;
        }

        return new JsonObject
        {
            ["kind"] = "Scale",
            ["apiVersion"] = "autoscaling/v1",
            ["metadata"] = new JsonObject
            {
                ["name"] = meta["name"]?.DeepClone(),
                ["namespace"] = meta["namespace"]?.DeepClone(),
                ["uid"] = meta["uid"]?.DeepClone(),
                ["resourceVersion"] = meta["resourceVersion"]?.DeepClone(),
                ["creationTimestamp"] = meta["creationTimestamp"]?.DeepClone(),
            },
            ["spec"] = new JsonObject { ["replicas"] = At(obj, t.SpecReplicasPath ?? ".spec.replicas")?.DeepClone() ?? 0 },
            ["status"] = status,
        };
    }

    /// <summary>The object with its replicas set from <paramref name="scale"/> (validated; a pinned resourceVersion must match).</summary>
    public static JsonObject WithReplicas(ResourceType t, StoredObject current, JsonObject scale)
    {
        var replicas = scale["spec"]?["replicas"];
        if (replicas is null || replicas.GetValueKind() != System.Text.Json.JsonValueKind.Number || (long)replicas < 0)
        {
            throw ApiException.Invalid("Scale", "autoscaling", current.Name,
                [FieldError.Invalid("spec.replicas", replicas?.ToJsonString() ?? "null", "must be greater than or equal to 0")]);
        }

        if ((string?)scale["metadata"]?["resourceVersion"] is { Length: > 0 } rv && rv != current.ResourceVersion.ToString(CultureInfo.InvariantCulture))
        {
            throw ApiException.Conflict(t.Plural, t.Group, current.Name);
        }

        var obj = current.ToJsonObject();
        var path = (t.SpecReplicasPath ?? ".spec.replicas").TrimStart('.').Split('.');
        var node = obj;
        foreach (var seg in path[..^1])
        {
            node = ObjectRules.Ensure(node, seg);
        }

        node[path[^1]] = (long)replicas;
        return obj;
    }

    private static JsonNode? At(JsonObject obj, string path)
    {
        JsonNode? node = obj;
        foreach (var seg in path.TrimStart('.').Split('.'))
        {
            node = (node as JsonObject)?[seg];
        }

        return node;
    }
}
