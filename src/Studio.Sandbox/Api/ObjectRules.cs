using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Studio.Sandbox.Resources;

namespace Studio.Sandbox.Api;

/// <summary>
/// Server-side validation of built-in kinds (and the generic metadata rules for every kind). Defaulting is in
/// <see cref="ObjectDefaults"/>, the typed-field check in <see cref="TypedFields"/>.
/// </summary>
internal static partial class ObjectRules
{
    private const string SubdomainMessage =
        "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

    private const string LabelMessage =
        "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex Subdomain();

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex DnsLabel();

    [GeneratedRegex("^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$")]
    private static partial Regex LabelValue();

    [GeneratedRegex("^[-._a-zA-Z0-9]+$")]
    private static partial Regex ConfigKey();

    public static bool IsSubdomain(string s) => s.Length <= 253 && Subdomain().IsMatch(s);

    public static bool IsDnsLabel(string s) => s.Length <= 63 && DnsLabel().IsMatch(s);

    public static void ValidateMetadata(ResourceType type, JsonObject meta, List<FieldError> errors)
    {
        var name = (string?)meta["name"] ?? "";
        if (name.Length == 0)
        {
            errors.Add(FieldError.Required("metadata.name", "name or generateName is required"));
        }
        else if (type.LabelName ? !IsDnsLabel(name) : !IsSubdomain(name))
        {
            errors.Add(FieldError.Invalid("metadata.name", name, type.LabelName ? LabelMessage : SubdomainMessage));
        }

        if (meta["labels"] is JsonObject labels)
        {
            foreach (var (k, v) in labels)
            {
                var value = v?.ToString() ?? "";
                if (!IsQualifiedName(k))
                {
                    errors.Add(FieldError.Invalid("metadata.labels", k, "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character"));
                }

                if (value.Length > 63 || !LabelValue().IsMatch(value))
                {
                    errors.Add(FieldError.Invalid("metadata.labels", value, "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"));
                }
            }
        }

        if (meta["annotations"] is JsonObject annotations)
        {
            foreach (var (k, _) in annotations)
            {
                if (!IsQualifiedName(k))
                {
                    errors.Add(FieldError.Invalid("metadata.annotations", k, "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character"));
                }
            }
        }
    }

    private static bool IsQualifiedName(string key)
    {
        var slash = key.LastIndexOf('/');
        var prefix = slash >= 0 ? key[..slash] : null;
        var name = slash >= 0 ? key[(slash + 1)..] : key;
        return (prefix is null || IsSubdomain(prefix)) && name.Length is > 0 and <= 63 && LabelValue().IsMatch(name);
    }

    /// <summary>Kind-specific required fields and rules.</summary>
    public static void ValidateSpec(ResourceType type, JsonObject obj, List<FieldError> errors)
    {
        var spec = obj["spec"] as JsonObject;
        switch (type.IsCustom ? "" : type.StorageKey)
        {
            case "pods":
                ValidatePodSpec(spec, "spec", errors);
                break;
            case "deployments.apps":
            case "replicasets.apps":
            case "jobs.batch":
                ValidateWorkload(type, spec, errors);
                break;
            case "cronjobs.batch" or "poddisruptionbudgets.policy" or "ingresses.networking.k8s.io":
                PolicyRules.Validate(type.StorageKey, spec, errors);
                break;
            case "services":
                if (spec?["ports"] is JsonArray ports)
                {
                    for (var i = 0; i < ports.Count; i++)
                    {
                        var port = ports[i]?["port"];
                        if (port is null)
                        {
                            errors.Add(FieldError.Required($"spec.ports[{i}].port"));
                        }
                        else if (port.GetValueKind() == JsonValueKind.Number && ((long)port < 1 || (long)port > 65535))
                        {
                            errors.Add(FieldError.Invalid($"spec.ports[{i}].port", port.ToJsonString(), "must be between 1 and 65535, inclusive"));
                        }
                    }
                }

                if ((string?)spec?["type"] is { } st && st is not ("ClusterIP" or "NodePort" or "LoadBalancer" or "ExternalName"))
                {
                    errors.Add(FieldError.NotSupported("spec.type", st, ["ClusterIP", "ExternalName", "LoadBalancer", "NodePort"]));
                }

                break;
            case "configmaps":
            case "secrets":
                foreach (var field in new[] { "data", "binaryData", "stringData" })
                {
                    if (obj[field] is JsonObject data)
                    {
                        foreach (var (k, _) in data.Where(kv => !ConfigKey().IsMatch(kv.Key)))
                        {
                            errors.Add(FieldError.Invalid($"{field}[{k}]", k, "a valid config key must consist of alphanumeric characters, '-', '_' or '.'"));
                        }
                    }
                }

                break;
            case "priorityclasses.scheduling.k8s.io":
                if (obj["value"] is null)
                {
                    errors.Add(FieldError.Required("value"));
                }

                break;
            case "horizontalpodautoscalers.autoscaling":
                if (spec?["scaleTargetRef"] is null)
                {
                    errors.Add(FieldError.Required("spec.scaleTargetRef"));
                }

                if (spec?["maxReplicas"] is not JsonValue max || (long)max < 1)
                {
                    errors.Add(FieldError.Invalid("spec.maxReplicas", spec?["maxReplicas"]?.ToJsonString() ?? "0", "must be greater than or equal to 1"));
                }

                break;
            case "rolebindings.rbac.authorization.k8s.io":
            case "clusterrolebindings.rbac.authorization.k8s.io":
                if (obj["roleRef"] is null)
                {
                    errors.Add(FieldError.Required("roleRef"));
                }

                break;
            case "customresourcedefinitions.apiextensions.k8s.io":
                ValidateCrd(obj, spec, errors);
                break;
        }
    }

    private static void ValidateWorkload(ResourceType type, JsonObject? spec, List<FieldError> errors)
    {
        var template = spec?["template"] as JsonObject;
        if (template is null)
        {
            errors.Add(FieldError.Required("spec.template"));
            return;
        }

        if (type.Kind != "Job" || (bool?)spec?["manualSelector"] == true)
        {
            if (spec?["selector"] is not JsonObject selector || selector.Count == 0)
            {
                errors.Add(FieldError.Required("spec.selector"));
            }
            else if (!LabelSelector.FromObject(selector).Matches(template["metadata"]?["labels"] as JsonObject))
            {
                errors.Add(FieldError.Invalid("spec.template.metadata.labels",
                    (template["metadata"]?["labels"] as JsonObject)?.ToJsonString() ?? "null", "`selector` does not match template `labels`"));
            }
        }

        if (spec?["replicas"] is JsonValue r && r.GetValueKind() == JsonValueKind.Number && (long)r < 0)
        {
            errors.Add(FieldError.Invalid("spec.replicas", r.ToJsonString(), "must be greater than or equal to 0"));
        }

        ValidatePodSpec(template["spec"] as JsonObject, "spec.template.spec", errors);
        if (type.Kind == "Job")
        {
            var policy = (string?)template["spec"]?["restartPolicy"];
            if (policy is not ("OnFailure" or "Never"))
            {
                errors.Add(policy is null
                    ? FieldError.Required("spec.template.spec.restartPolicy", "valid values: \"OnFailure\", \"Never\"")
                    : FieldError.NotSupported("spec.template.spec.restartPolicy", policy, ["OnFailure", "Never"]));
            }
        }
        else if ((string?)template["spec"]?["restartPolicy"] is { } rp && rp != "Always")
        {
            errors.Add(FieldError.NotSupported("spec.template.spec.restartPolicy", rp, ["Always"]));
        }
    }

    private static void ValidatePodSpec(JsonObject? spec, string path, List<FieldError> errors)
    {
        if (spec?["containers"] is not JsonArray containers || containers.Count == 0)
        {
            errors.Add(FieldError.Required(path + ".containers"));
            return;
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < containers.Count; i++)
        {
            var c = containers[i] as JsonObject;
            var name = (string?)c?["name"];
            if (string.IsNullOrEmpty(name))
            {
                errors.Add(FieldError.Required($"{path}.containers[{i}].name"));
            }
            else if (!IsDnsLabel(name))
            {
                errors.Add(FieldError.Invalid($"{path}.containers[{i}].name", name, LabelMessage));
            }
            else if (!names.Add(name))
            {
                errors.Add(new FieldError($"{path}.containers[{i}].name", "FieldValueDuplicate", $"Duplicate value: \"{name}\""));
            }

            if (string.IsNullOrEmpty((string?)c?["image"]))
            {
                errors.Add(FieldError.Required($"{path}.containers[{i}].image"));
            }

            if (c?["ports"] is JsonArray ports)
            {
                for (var p = 0; p < ports.Count; p++)
                {
                    var cp = ports[p]?["containerPort"];
                    if (cp is null)
                    {
                        errors.Add(FieldError.Required($"{path}.containers[{i}].ports[{p}].containerPort"));
                    }
                    else if (cp.GetValueKind() == JsonValueKind.Number && ((long)cp < 1 || (long)cp > 65535))
                    {
                        errors.Add(FieldError.Invalid($"{path}.containers[{i}].ports[{p}].containerPort", cp.ToJsonString(), "must be between 1 and 65535, inclusive"));
                    }
                }
            }
        }

        if ((string?)spec["restartPolicy"] is { } policy && policy is not ("Always" or "OnFailure" or "Never"))
        {
            errors.Add(FieldError.NotSupported(path + ".restartPolicy", policy, ["Always", "OnFailure", "Never"]));
        }
    }

    private static void ValidateCrd(JsonObject obj, JsonObject? spec, List<FieldError> errors)
    {
        var group = (string?)spec?["group"];
        var plural = (string?)spec?["names"]?["plural"];
        if (string.IsNullOrEmpty(group))
        {
            errors.Add(FieldError.Required("spec.group"));
        }

        if (string.IsNullOrEmpty(plural))
        {
            errors.Add(FieldError.Required("spec.names.plural"));
        }

        if (string.IsNullOrEmpty((string?)spec?["names"]?["kind"]))
        {
            errors.Add(FieldError.Required("spec.names.kind"));
        }

        var scope = (string?)spec?["scope"];
        if (scope is not ("Namespaced" or "Cluster"))
        {
            errors.Add(scope is null ? FieldError.Required("spec.scope") : FieldError.NotSupported("spec.scope", scope, ["Cluster", "Namespaced"]));
        }

        var name = (string?)obj["metadata"]?["name"] ?? "";
        if (group is not null && plural is not null && name != plural + "." + group)
        {
            errors.Add(FieldError.Invalid("metadata.name", name, "must be spec.names.plural+\".\"+spec.group"));
        }

        if (spec?["versions"] is not JsonArray versions || versions.Count == 0)
        {
            errors.Add(FieldError.Required("spec.versions", "must have exactly one version marked as storage version"));
            return;
        }

        if (versions.Count(v => (bool?)v?["storage"] == true) != 1)
        {
            errors.Add(FieldError.Invalid("spec.versions", versions.ToJsonString(), "must have exactly one version marked as storage version"));
        }

        for (var i = 0; i < versions.Count; i++)
        {
            if (string.IsNullOrEmpty((string?)versions[i]?["name"]))
            {
                errors.Add(FieldError.Required($"spec.versions[{i}].name"));
            }
        }
    }

    public static JsonObject Ensure(JsonObject parent, string key)
    {
        if (parent[key] is JsonObject o)
        {
            return o;
        }

        o = [];
        parent[key] = o;
        return o;
    }
}
