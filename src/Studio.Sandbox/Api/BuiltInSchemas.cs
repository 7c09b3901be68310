using System.Collections.Concurrent;
using System.Reflection;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Xml.Linq;
using k8s.Models;
using Studio.Sandbox.Resources;

namespace Studio.Sandbox.Api;

/// <summary>
/// OpenAPI v3 schemas of the built-in kinds, generated from KubernetesClient's models (which are generated from the
/// Kubernetes OpenAPI document): property names and types, nested kinds as <c>$ref</c>s, descriptions from the models'
/// XML documentation when it is next to the assembly, and the strategic-merge metadata of the lists the sandbox merges by
/// key (so <c>kubectl explain</c> works and client-side apply computes the same patches as before). KubernetesClient's
/// XML documentation (25 MB) is not deployed, so fields carry no descriptions unless it is placed next to the assembly.
/// </summary>
internal static partial class BuiltInSchemas
{
    private const string Prefix = "io.k8s.sandbox.";

    private static readonly Dictionary<string, Type> Models = new(StringComparer.Ordinal)
    {
        ["namespaces"] = typeof(V1Namespace), ["nodes"] = typeof(V1Node), ["pods"] = typeof(V1Pod), ["services"] = typeof(V1Service),
        ["endpoints"] = typeof(V1Endpoints), ["events"] = typeof(Corev1Event), ["configmaps"] = typeof(V1ConfigMap), ["secrets"] = typeof(V1Secret),
        ["serviceaccounts"] = typeof(V1ServiceAccount), ["resourcequotas"] = typeof(V1ResourceQuota), ["limitranges"] = typeof(V1LimitRange),
        ["persistentvolumeclaims"] = typeof(V1PersistentVolumeClaim), ["deployments.apps"] = typeof(V1Deployment),
        ["replicasets.apps"] = typeof(V1ReplicaSet), ["jobs.batch"] = typeof(V1Job), ["cronjobs.batch"] = typeof(V1CronJob),
        ["poddisruptionbudgets.policy"] = typeof(V1PodDisruptionBudget), ["networkpolicies.networking.k8s.io"] = typeof(V1NetworkPolicy),
        ["ingresses.networking.k8s.io"] = typeof(V1Ingress), ["ingressclasses.networking.k8s.io"] = typeof(V1IngressClass),
        ["roles.rbac.authorization.k8s.io"] = typeof(V1Role), ["rolebindings.rbac.authorization.k8s.io"] = typeof(V1RoleBinding),
        ["clusterroles.rbac.authorization.k8s.io"] = typeof(V1ClusterRole), ["clusterrolebindings.rbac.authorization.k8s.io"] = typeof(V1ClusterRoleBinding),
        ["priorityclasses.scheduling.k8s.io"] = typeof(V1PriorityClass), ["leases.coordination.k8s.io"] = typeof(V1Lease), ["events.events.k8s.io"] = typeof(Eventsv1Event),
        ["customresourcedefinitions.apiextensions.k8s.io"] = typeof(V1CustomResourceDefinition),
    };

    /// <summary>
    /// Strategic-merge metadata of the lists Kubernetes merges by key (its <c>patchMergeKey</c>/<c>patchStrategy</c> tags),
    /// by model and JSON name: client-side apply reads them from this document once it is served, so they must match what
    /// kubectl would otherwise take from its compiled-in types. Other lists are atomic.
    /// </summary>
    private static readonly Dictionary<string, (string? Key, string Strategy)> MergeLists = new(StringComparer.Ordinal)
    {
        ["V1PodSpec.containers"] = ("name", "merge"), ["V1PodSpec.initContainers"] = ("name", "merge"),
        ["V1PodSpec.ephemeralContainers"] = ("name", "merge"), ["V1PodSpec.volumes"] = ("name", "merge,retainKeys"),
        ["V1PodSpec.imagePullSecrets"] = ("name", "merge"), ["V1PodSpec.hostAliases"] = ("ip", "merge"),
        ["V1PodSpec.topologySpreadConstraints"] = ("topologyKey", "merge"), ["V1PodSpec.resourceClaims"] = ("name", "merge,retainKeys"),
        ["V1PodSpec.schedulingGates"] = ("name", "merge"),
        ["V1Container.ports"] = ("containerPort", "merge"), ["V1Container.env"] = ("name", "merge"),
        ["V1Container.volumeMounts"] = ("mountPath", "merge"), ["V1Container.volumeDevices"] = ("devicePath", "merge"),
        ["V1EphemeralContainer.env"] = ("name", "merge"), ["V1EphemeralContainer.volumeMounts"] = ("mountPath", "merge"),
        ["V1EphemeralContainer.volumeDevices"] = ("devicePath", "merge"),
        ["V1ServiceSpec.ports"] = ("port", "merge"),
        ["V1ObjectMeta.ownerReferences"] = ("uid", "merge"), ["V1ObjectMeta.finalizers"] = (null, "merge"),
        ["V1PodStatus.conditions"] = ("type", "merge"), ["V1NodeStatus.conditions"] = ("type", "merge"),
        ["V1NodeStatus.addresses"] = ("type", "merge"), ["V1NamespaceStatus.conditions"] = ("type", "merge"),
        ["V1DeploymentStatus.conditions"] = ("type", "merge"), ["V1ReplicaSetStatus.conditions"] = ("type", "merge"),
        ["V1JobStatus.conditions"] = ("type", "merge"), ["V1ServiceStatus.conditions"] = ("type", "merge"),
        ["V1PersistentVolumeClaimStatus.conditions"] = ("type", "merge"), ["V1PodDisruptionBudgetStatus.conditions"] = ("type", "merge"),
    };

    private static readonly Lazy<Dictionary<string, string>> Docs = new(LoadDocs);
    private static readonly ConcurrentDictionary<Type, JsonObject> Cache = new();

    /// <summary>The model of a built-in kind's version (autoscaling v1 and v2 differ); null when the sandbox has none.</summary>
    private static Type? ModelOf(ResourceType t) => (t.Group, t.Version, t.Kind) switch
    {
        ("autoscaling", "v1", "HorizontalPodAutoscaler") => typeof(V1HorizontalPodAutoscaler),
        ("autoscaling", "v2", "HorizontalPodAutoscaler") => typeof(V2HorizontalPodAutoscaler),
        _ => t.IsCustom ? null : Models.GetValueOrDefault(t.StorageKey),
    };

    /// <summary>Adds the kind's schema (named <paramref name="name"/>, tagged with its GVK) and every schema it refers to.</summary>
    public static bool TryAdd(ResourceType t, string name, JsonObject gvk, JsonObject schemas)
    {
        if (ModelOf(t) is not { } model)
        {
            return false;
        }

        var pending = new Queue<Type>();
        var root = ObjectSchema(model, pending).DeepClone().AsObject();
        root["x-kubernetes-group-version-kind"] = new JsonArray(gvk.DeepClone());
        schemas[name] = root;
        var seen = new HashSet<Type> { model };
        while (pending.TryDequeue(out var nested))
        {
            if (seen.Add(nested))
            {
                schemas[RefName(nested)] = ObjectSchema(nested, pending).DeepClone();
            }
        }

        return true;
    }

    /// <summary>The schema name of a model: its Kubernetes name (<c>V1Container</c> → <c>Container</c>), which kubectl explain shows as the type.</summary>
    private static string RefName(Type t) => Prefix + VersionPrefix().Replace(t.Name, "");

    [System.Text.RegularExpressions.GeneratedRegex("^V[0-9]+((alpha|beta)[0-9]+)?(?=[A-Z])")]
    private static partial System.Text.RegularExpressions.Regex VersionPrefix();

    private static JsonObject ObjectSchema(Type type, Queue<Type> pending)
    {
        var schema = Cache.GetOrAdd(type, static t =>
        {
            var properties = new JsonObject();
            foreach (var p in t.GetProperties(BindingFlags.Public | BindingFlags.Instance))
            {
                if (p.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name is not { } json)
                {
                    continue;
                }

                var property = PropertySchema(p.PropertyType, MergeLists.GetValueOrDefault(t.Name + "." + json));
                if (Docs.Value.TryGetValue($"P:{t.FullName}.{p.Name}", out var doc))
                {
                    property["description"] = doc;
                }

                properties[json] = property;
            }

            var s = new JsonObject { ["type"] = "object", ["properties"] = properties };
            if (Docs.Value.TryGetValue("T:" + t.FullName, out var typeDoc))
            {
                s["description"] = typeDoc;
            }

            return s;
        });
        foreach (var nested in Nested(type))
        {
            pending.Enqueue(nested);
        }

        return schema;
    }

    private static IEnumerable<Type> Nested(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.GetCustomAttribute<JsonPropertyNameAttribute>() is not null)
            .Select(p => Element(p.PropertyType))
            .Where(IsModel);

    private static bool IsModel(Type t) => t.Namespace == "k8s.Models" && t.IsClass && t != typeof(ResourceQuantity) && t != typeof(IntOrString);

    /// <summary>The element type of a list or map, else the type itself (nullable unwrapped).</summary>
    private static Type Element(Type t)
    {
        t = Nullable.GetUnderlyingType(t) ?? t;
        if (t != typeof(string) && t.IsGenericType)
        {
            var args = t.GetGenericArguments();
            return Element(args[^1]);
        }

        return t;
    }

    private static JsonObject PropertySchema(Type t, (string? Key, string Strategy) merge)
    {
        t = Nullable.GetUnderlyingType(t) ?? t;
        if (t == typeof(string))
        {
            return new JsonObject { ["type"] = "string" };
        }

        if (t == typeof(int) || t == typeof(long))
        {
            return new JsonObject { ["type"] = "integer", ["format"] = t == typeof(int) ? "int32" : "int64" };
        }

        if (t == typeof(bool))
        {
            return new JsonObject { ["type"] = "boolean" };
        }

        if (t == typeof(double) || t == typeof(float))
        {
            return new JsonObject { ["type"] = "number", ["format"] = "double" };
        }

        if (t == typeof(DateTime) || t == typeof(DateTimeOffset))
        {
            return new JsonObject { ["type"] = "string", ["format"] = "date-time" };
        }

        if (t == typeof(byte[]))
        {
            return new JsonObject { ["type"] = "string", ["format"] = "byte" };
        }

        if (t == typeof(ResourceQuantity) || t == typeof(IntOrString))
        {
            return new JsonObject { ["x-kubernetes-int-or-string"] = true, ["anyOf"] = new JsonArray(new JsonObject { ["type"] = "integer" }, new JsonObject { ["type"] = "string" }) };
        }

        if (t.IsGenericType && t.GetGenericArguments() is [var keyType, var valueType] && keyType == typeof(string))
        {
            return new JsonObject { ["type"] = "object", ["additionalProperties"] = PropertySchema(valueType, default) };
        }

        if (t.IsGenericType && t.GetGenericArguments() is [var item])
        {
            var list = new JsonObject { ["type"] = "array", ["items"] = PropertySchema(item, default) };
            if (merge.Strategy is not null)
            {
                list["x-kubernetes-patch-strategy"] = merge.Strategy;
            }

            if (merge.Key is { } key)
            {
                list["x-kubernetes-patch-merge-key"] = key;
                list["x-kubernetes-list-type"] = "map";
                list["x-kubernetes-list-map-keys"] = new JsonArray(key);
            }

            return list;
        }

        if (IsModel(t))
        {
            return new JsonObject { ["allOf"] = new JsonArray(new JsonObject { ["$ref"] = "#/components/schemas/" + RefName(t) }) };
        }

        return new JsonObject { ["type"] = "object", ["x-kubernetes-preserve-unknown-fields"] = true };
    }

    /// <summary>Summaries from KubernetesClient's XML documentation (empty when the file is not deployed).</summary>
    private static Dictionary<string, string> LoadDocs()
    {
        var docs = new Dictionary<string, string>(StringComparer.Ordinal);
        var path = Path.ChangeExtension(typeof(V1Pod).Assembly.Location, ".xml");
        if (string.IsNullOrEmpty(path) || !File.Exists(path))
        {
            return docs;
        }

        foreach (var member in XDocument.Load(path).Descendants("member"))
        {
            if ((string?)member.Attribute("name") is { } name && member.Element("summary") is { } summary)
            {
                docs[name] = string.Join(" ", summary.Value.Split((char[])['\n', '\r'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
            }
        }

        return docs;
    }
}
