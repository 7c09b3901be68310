using System.Globalization;
using System.Text.Json;
using Studio.Domain.Common;
using Studio.Domain.InstanceTypes;
using Studio.Infrastructure.Compute;

namespace Studio.Infrastructure.InstanceTypes;

/// <summary>
/// Maps between the InstanceType resource and the domain: reads a resource's spec into a draft (any JSON shape, with
/// per-field problems) and writes the body Studio applies (CPU and memory as strings, the GPU count as an integer).
/// </summary>
public static class InstanceTypeManifest
{
    public const string Group = ExtensionManifests.InstanceTypeGroup;
    public const string Version = ExtensionManifests.InstanceTypeVersion;
    public const string Plural = ExtensionManifests.InstanceTypePlural;
    public const string ApiVersion = Group + "/" + Version;
    public const string Gpu = "nvidia.com/gpu";

    /// <summary>The catalog entry for a resource read from the cluster (judged by Azure ML's rules only).</summary>
    public static InstanceTypeEntry ToEntry(InstanceTypeResource resource)
    {
        var problems = new List<Error>();
        var draft = ReadDraft(resource.Metadata.Name, resource.Spec, problems);
        var validated = InstanceTypeRules.Validate(draft, studioChecks: false);
        problems.AddRange(validated.Errors);
        var managedBy = resource.Metadata.ManagedFields?.Select(f => f.Manager).FirstOrDefault(m => !string.IsNullOrEmpty(m))
            ?? (resource.Metadata.Labels is { } labels && labels.TryGetValue(ExtensionManifests.ManagedByLabel, out var label) ? label : null);
        return new InstanceTypeEntry(
            resource.Metadata.Name,
            draft,
            problems.Count == 0 ? validated.Value : null,
            problems,
            resource.Metadata.ResourceVersion,
            resource.Metadata.CreationTimestamp is { } created ? new DateTimeOffset(DateTime.SpecifyKind(created, DateTimeKind.Utc)) : null,
            managedBy);
    }

    /// <summary>Reads a spec; values of the wrong JSON type are problems on their field, never exceptions.</summary>
    public static InstanceTypeDraft ReadDraft(string? name, JsonElement? spec, List<Error> problems)
    {
        ArgumentNullException.ThrowIfNull(problems);
        if (spec is not { ValueKind: JsonValueKind.Object } s)
        {
            problems.Add(Error.Validation("spec", "The resource has no spec."));
            return new InstanceTypeDraft(name, null, null, null, null, null);
        }

        var selector = new Dictionary<string, string>(StringComparer.Ordinal);
        if (s.TryGetProperty("nodeSelector", out var ns) && ns.ValueKind == JsonValueKind.Object)
        {
            foreach (var p in ns.EnumerateObject())
            {
                selector[p.Name] = p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()! : p.Value.GetRawText();
            }
        }

        JsonElement requests = default, limits = default;
        if (s.TryGetProperty("resources", out var resources) && resources.ValueKind == JsonValueKind.Object)
        {
            resources.TryGetProperty("requests", out requests);
            resources.TryGetProperty("limits", out limits);
        }

        return new InstanceTypeDraft(
            name,
            selector,
            Scalar(requests, "cpu"),
            Scalar(requests, "memory"),
            Scalar(limits, "cpu"),
            Scalar(limits, "memory"),
            Scalar(limits, Gpu),
            Scalar(requests, Gpu));
    }

    private static string? Scalar(JsonElement parent, string key) =>
        parent.ValueKind == JsonValueKind.Object && parent.TryGetProperty(key, out var v)
            ? v.ValueKind switch
            {
                JsonValueKind.String => v.GetString(),
                JsonValueKind.Number => v.GetRawText(),
                JsonValueKind.Null => null,
                _ => v.GetRawText(),
            }
            : null;

    /// <summary>The object Studio applies for <paramref name="instanceType"/> (server-side apply, field manager <c>studio</c>).</summary>
    public static Dictionary<string, object> ToBody(InstanceType instanceType)
    {
        ArgumentNullException.ThrowIfNull(instanceType);
        var limits = new Dictionary<string, object> { ["cpu"] = instanceType.LimitCpu, ["memory"] = instanceType.LimitMemory };
        if (instanceType.Limits.Gpus > 0)
        {
            limits[Gpu] = instanceType.Limits.Gpus;
        }

        var spec = new Dictionary<string, object>();
        if (instanceType.NodeSelector.Count > 0)
        {
            spec["nodeSelector"] = instanceType.NodeSelector.OrderBy(p => p.Key, StringComparer.Ordinal).ToDictionary(p => p.Key, p => (object)p.Value);
        }

        spec["resources"] = new Dictionary<string, object>
        {
            ["requests"] = new Dictionary<string, object> { ["cpu"] = instanceType.RequestCpu, ["memory"] = instanceType.RequestMemory },
            ["limits"] = limits,
        };
        return new Dictionary<string, object>
        {
            ["apiVersion"] = ApiVersion,
            ["kind"] = "InstanceType",
            ["metadata"] = new Dictionary<string, object> { ["name"] = instanceType.Name },
            ["spec"] = spec,
        };
    }

    /// <summary>
    /// YAML for <paramref name="instanceTypes"/>: one <c>InstanceType</c> document for one, an <c>InstanceTypeList</c>
    /// otherwise — what <c>kubectl apply -f</c> and Studio's import both take.
    /// </summary>
    public static string ToYaml(IReadOnlyList<InstanceType> instanceTypes)
    {
        ArgumentNullException.ThrowIfNull(instanceTypes);
        if (instanceTypes.Count == 1)
        {
            return k8s.KubernetesYaml.Serialize(ToBody(instanceTypes[0]));
        }

        var items = instanceTypes.Select(t =>
        {
            var body = ToBody(t);
            body.Remove("apiVersion");
            body.Remove("kind");
            return (object)body;
        }).ToList();
        return k8s.KubernetesYaml.Serialize(new Dictionary<string, object> { ["apiVersion"] = ApiVersion, ["kind"] = "InstanceTypeList", ["items"] = items });
    }

    internal static string Count(int n, string what) => n.ToString(CultureInfo.InvariantCulture) + " " + what + (n == 1 ? string.Empty : "s");
}
