using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using k8s;
using k8s.Models;
using Studio.Sandbox.Resources;

namespace Studio.Sandbox.Api;

/// <summary>Server-side validation and defaulting of built-in kinds (and the generic metadata rules for every kind).</summary>
internal static partial class ObjectRules
{
    private const string SubdomainMessage =
        "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

    private const string LabelMessage =
        "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";

    private static readonly Dictionary<string, Func<string, object?>> Typed = new(StringComparer.Ordinal)
    {
        ["namespaces"] = s => KubernetesJson.Deserialize<V1Namespace>(s),
        ["nodes"] = s => KubernetesJson.Deserialize<V1Node>(s),
        ["pods"] = s => KubernetesJson.Deserialize<V1Pod>(s),
        ["services"] = s => KubernetesJson.Deserialize<V1Service>(s),
        ["endpoints"] = s => KubernetesJson.Deserialize<V1Endpoints>(s),
        ["events"] = s => KubernetesJson.Deserialize<Corev1Event>(s),
        ["configmaps"] = s => KubernetesJson.Deserialize<V1ConfigMap>(s),
        ["secrets"] = s => KubernetesJson.Deserialize<V1Secret>(s),
        ["serviceaccounts"] = s => KubernetesJson.Deserialize<V1ServiceAccount>(s),
        ["resourcequotas"] = s => KubernetesJson.Deserialize<V1ResourceQuota>(s),
        ["limitranges"] = s => KubernetesJson.Deserialize<V1LimitRange>(s),
        ["persistentvolumeclaims"] = s => KubernetesJson.Deserialize<V1PersistentVolumeClaim>(s),
        ["deployments.apps"] = s => KubernetesJson.Deserialize<V1Deployment>(s),
        ["replicasets.apps"] = s => KubernetesJson.Deserialize<V1ReplicaSet>(s),
        ["jobs.batch"] = s => KubernetesJson.Deserialize<V1Job>(s),
        ["horizontalpodautoscalers.autoscaling"] = s => KubernetesJson.Deserialize<V2HorizontalPodAutoscaler>(s),
        ["roles.rbac.authorization.k8s.io"] = s => KubernetesJson.Deserialize<V1Role>(s),
        ["rolebindings.rbac.authorization.k8s.io"] = s => KubernetesJson.Deserialize<V1RoleBinding>(s),
        ["clusterroles.rbac.authorization.k8s.io"] = s => KubernetesJson.Deserialize<V1ClusterRole>(s),
        ["clusterrolebindings.rbac.authorization.k8s.io"] = s => KubernetesJson.Deserialize<V1ClusterRoleBinding>(s),
        ["priorityclasses.scheduling.k8s.io"] = s => KubernetesJson.Deserialize<V1PriorityClass>(s),
        ["events.events.k8s.io"] = s => KubernetesJson.Deserialize<Eventsv1Event>(s),
        ["customresourcedefinitions.apiextensions.k8s.io"] = s => KubernetesJson.Deserialize<V1CustomResourceDefinition>(s),
    };

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

    /// <summary>Checks that the body decodes into the kind's KubernetesClient model (types of every known field).</summary>
    /// <summary>
    /// Checks that the body decodes into the kind's KubernetesClient model (types of every known field), and removes the
    /// fields the model does not know (returned as paths), as the real server drops unknown fields of built-in kinds.
    /// </summary>
    public static IReadOnlyList<string> CheckTyped(ResourceType type, JsonObject obj)
    {
        if (type.IsCustom || !Typed.TryGetValue(type.StorageKey, out var decode))
        {
            return [];
        }

        object? model;
        try
        {
            model = decode(obj.ToJsonString(SandboxJson.Options));
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException)
        {
            throw ApiException.BadRequest($"{type.Kind} in version \"{type.Version}\" cannot be handled as a {type.Kind}: {e.Message}");
        }

        if (model is null)
        {
            return [];
        }

        var known = JsonNode.Parse(KubernetesJson.Serialize(model));
        var unknown = new List<string>();
        Prune(obj, known, "", unknown);
        return unknown;
    }

    private static void Prune(JsonNode? original, JsonNode? known, string path, List<string> unknown)
    {
        switch (original)
        {
            case JsonObject o when known is JsonObject k:
                foreach (var (key, value) in o.ToList())
                {
                    if (path.Length == 0 && key is "apiVersion" or "kind")
                    {
                        continue;
                    }

                    var child = path.Length == 0 ? key : path + "." + key;
                    if (!k.ContainsKey(key))
                    {
                        if (value is not null && !(value is JsonObject { Count: 0 } or JsonArray { Count: 0 }))
                        {
                            unknown.Add(child);
                            o.Remove(key);
                        }

                        continue;
                    }

                    Prune(value, k[key], child, unknown);
                }

                break;
            case JsonArray a when known is JsonArray ka && a.Count == ka.Count:
                for (var i = 0; i < a.Count; i++)
                {
                    Prune(a[i], ka[i], $"{path}[{i}]", unknown);
                }

                break;
        }
    }

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

    /// <summary>Defaults applied on create and update, as the real API server's defaulting and admission would add them.</summary>
    public static void ApplyDefaults(ResourceType type, JsonObject obj, Func<string> allocateClusterIp)
    {
        var spec = obj["spec"] as JsonObject;
        var meta = (JsonObject)obj["metadata"]!;
        switch (type.IsCustom ? "" : type.StorageKey)
        {
            case "namespaces":
            {
                spec = Ensure(obj, "spec");
                spec["finalizers"] ??= new JsonArray("kubernetes");
                var status = Ensure(obj, "status");
                status["phase"] ??= "Active";
                Ensure(meta, "labels")["kubernetes.io/metadata.name"] = (string?)meta["name"];
                break;
            }

            case "pods":
                DefaultPodSpec(spec, isPod: true);
                var podStatus = Ensure(obj, "status");
                podStatus["phase"] ??= "Pending";
                podStatus["qosClass"] ??= QosClass(spec);
                break;
            case "deployments.apps":
                spec!["replicas"] ??= 1;
                spec["revisionHistoryLimit"] ??= 10;
                spec["progressDeadlineSeconds"] ??= 600;
                spec["strategy"] ??= new JsonObject
                {
                    ["type"] = "RollingUpdate",
                    ["rollingUpdate"] = new JsonObject { ["maxUnavailable"] = "25%", ["maxSurge"] = "25%" },
                };
                DefaultPodSpec(spec["template"]?["spec"] as JsonObject);
                break;
            case "replicasets.apps":
                spec!["replicas"] ??= 1;
                DefaultPodSpec(spec["template"]?["spec"] as JsonObject);
                break;
            case "jobs.batch":
            {
                spec!["parallelism"] ??= 1;
                spec["completions"] ??= 1;
                spec["backoffLimit"] ??= 6;
                spec["completionMode"] ??= "NonIndexed";
                spec["suspend"] ??= false;
                spec["podReplacementPolicy"] ??= "TerminatingOrFailed";
                var uid = (string?)meta["uid"] ?? "";
                var name = (string?)meta["name"] ?? "";
                if ((bool?)spec["manualSelector"] != true)
                {
                    spec["selector"] ??= new JsonObject { ["matchLabels"] = new JsonObject { ["batch.kubernetes.io/controller-uid"] = uid } };
                    var tmeta = Ensure((JsonObject)spec["template"]!, "metadata");
                    var labels = Ensure(tmeta, "labels");
                    labels["batch.kubernetes.io/controller-uid"] = uid;
                    labels["batch.kubernetes.io/job-name"] = name;
                    labels["controller-uid"] = uid;
                    labels["job-name"] = name;
                    var jl = Ensure(meta, "labels");
                    jl["batch.kubernetes.io/controller-uid"] ??= uid;
                    jl["batch.kubernetes.io/job-name"] ??= name;
                    jl["controller-uid"] ??= uid;
                    jl["job-name"] ??= name;
                }

                DefaultPodSpec(spec["template"]?["spec"] as JsonObject);
                break;
            }

            case "services":
            {
                spec ??= Ensure(obj, "spec");
                spec["type"] ??= "ClusterIP";
                spec["sessionAffinity"] ??= "None";
                if ((string?)spec["type"] != "ExternalName")
                {
                    if (spec["clusterIP"] is null || (string?)spec["clusterIP"] == "")
                    {
                        spec["clusterIP"] = allocateClusterIp();
                    }

                    spec["clusterIPs"] ??= new JsonArray((string?)spec["clusterIP"]);
                    spec["ipFamilies"] ??= new JsonArray("IPv4");
                    spec["ipFamilyPolicy"] ??= "SingleStack";
                    spec["internalTrafficPolicy"] ??= "Cluster";
                }

                if (spec["ports"] is JsonArray ports)
                {
                    foreach (var p in ports.OfType<JsonObject>())
                    {
                        p["protocol"] ??= "TCP";
                        p["targetPort"] ??= p["port"]?.DeepClone();
                    }
                }

                Ensure(obj, "status")["loadBalancer"] ??= new JsonObject();
                break;
            }

            case "secrets":
                obj["type"] ??= "Opaque";
                if (obj["stringData"] is JsonObject sd) // merged into data on every write, as the real server does
                {
                    var data = Ensure(obj, "data");
                    foreach (var (k, v) in sd)
                    {
                        data[k] = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(v?.ToString() ?? ""));
                    }

                    obj.Remove("stringData");
                }

                break;
            case "persistentvolumeclaims":
                spec?["volumeMode"] ??= "Filesystem";
                Ensure(obj, "status")["phase"] ??= "Pending";
                break;
            case "priorityclasses.scheduling.k8s.io":
                obj["preemptionPolicy"] ??= "PreemptLowerPriority";
                break;
            case "customresourcedefinitions.apiextensions.k8s.io":
            {
                var names = (JsonObject)spec!["names"]!;
                names["singular"] ??= ((string?)names["kind"] ?? "").ToLowerInvariant();
                names["listKind"] ??= (string?)names["kind"] + "List";
                var now = (string?)meta["creationTimestamp"];
                var status = Ensure(obj, "status");
                status["acceptedNames"] = names.DeepClone();
                status["storedVersions"] = new JsonArray([.. ((JsonArray)spec["versions"]!).Where(v => (bool?)v?["storage"] == true).Select(v => (JsonNode?)JsonValue.Create((string?)v?["name"]))]);
                status["conditions"] = new JsonArray(
                    Condition("NamesAccepted", "NoConflicts", "no conflicts found", now),
                    Condition("Established", "InitialNamesAccepted", "the initial names have been accepted", now));
                break;
            }
        }
    }

    private static JsonObject Condition(string type, string reason, string message, string? time) => new()
    {
        ["type"] = type,
        ["status"] = "True",
        ["lastTransitionTime"] = time,
        ["reason"] = reason,
        ["message"] = message,
    };

    private static void DefaultPodSpec(JsonObject? spec, bool isPod = false)
    {
        if (spec is null)
        {
            return;
        }

        spec["restartPolicy"] ??= "Always";
        spec["dnsPolicy"] ??= "ClusterFirst";
        spec["schedulerName"] ??= "default-scheduler";
        spec["terminationGracePeriodSeconds"] ??= 30;
        spec["serviceAccountName"] ??= "default";
        spec["serviceAccount"] ??= (string?)spec["serviceAccountName"];
        spec["securityContext"] ??= new JsonObject();
        spec["enableServiceLinks"] ??= true;
        if (isPod)
        {
            spec["priority"] ??= 0;
            spec["tolerations"] ??= new JsonArray(
            new JsonObject { ["key"] = "node.kubernetes.io/not-ready", ["operator"] = "Exists", ["effect"] = "NoExecute", ["tolerationSeconds"] = 300 },
                new JsonObject { ["key"] = "node.kubernetes.io/unreachable", ["operator"] = "Exists", ["effect"] = "NoExecute", ["tolerationSeconds"] = 300 });
        }

        foreach (var list in new[] { "containers", "initContainers" })
        {
            if (spec[list] is not JsonArray containers)
            {
                continue;
            }

            foreach (var c in containers.OfType<JsonObject>())
            {
                var image = (string?)c["image"] ?? "";
                var lastSegment = image[(image.LastIndexOf('/') + 1)..];
                c["imagePullPolicy"] ??= !lastSegment.Contains(':', StringComparison.Ordinal) || lastSegment.EndsWith(":latest", StringComparison.Ordinal)
                    ? "Always" : "IfNotPresent";
                c["terminationMessagePath"] ??= "/dev/termination-log";
                c["terminationMessagePolicy"] ??= "File";
                c["resources"] ??= new JsonObject();
                if (c["ports"] is JsonArray ports)
                {
                    foreach (var p in ports.OfType<JsonObject>())
                    {
                        p["protocol"] ??= "TCP";
                    }
                }
            }
        }
    }

    private static string QosClass(JsonObject? spec)
    {
        var containers = (spec?["containers"] as JsonArray)?.OfType<JsonObject>().ToList() ?? [];
        var anyResources = containers.Any(c => (c["resources"]?["requests"] as JsonObject)?.Count > 0 || (c["resources"]?["limits"] as JsonObject)?.Count > 0);
        if (!anyResources)
        {
            return "BestEffort";
        }

        var guaranteed = containers.All(c =>
        {
            var limits = c["resources"]?["limits"] as JsonObject;
            var requests = c["resources"]?["requests"] as JsonObject;
            return limits?["cpu"] is not null && limits["memory"] is not null
                && (requests is null || ((requests["cpu"] is null || requests["cpu"]!.ToString() == limits["cpu"]!.ToString())
                    && (requests["memory"] is null || requests["memory"]!.ToString() == limits["memory"]!.ToString())));
        });
        return guaranteed ? "Guaranteed" : "Burstable";
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
