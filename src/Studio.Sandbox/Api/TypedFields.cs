using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Studio.Sandbox.Resources;

namespace Studio.Sandbox.Api;

/// <summary>
/// Built-in kinds are typed: a body must decode into the kind's KubernetesClient model, and fields the model does not
/// know are dropped (reported for fieldValidation Warn/Strict), as the real server does.
/// </summary>
internal static class TypedFields
{
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
        ["cronjobs.batch"] = s => KubernetesJson.Deserialize<V1CronJob>(s),
        ["poddisruptionbudgets.policy"] = s => KubernetesJson.Deserialize<V1PodDisruptionBudget>(s),
        ["networkpolicies.networking.k8s.io"] = s => KubernetesJson.Deserialize<V1NetworkPolicy>(s),
        ["ingresses.networking.k8s.io"] = s => KubernetesJson.Deserialize<V1Ingress>(s),
        ["ingressclasses.networking.k8s.io"] = s => KubernetesJson.Deserialize<V1IngressClass>(s),
        ["horizontalpodautoscalers.autoscaling"] = s => KubernetesJson.Deserialize<V2HorizontalPodAutoscaler>(s),
        ["roles.rbac.authorization.k8s.io"] = s => KubernetesJson.Deserialize<V1Role>(s),
        ["rolebindings.rbac.authorization.k8s.io"] = s => KubernetesJson.Deserialize<V1RoleBinding>(s),
        ["clusterroles.rbac.authorization.k8s.io"] = s => KubernetesJson.Deserialize<V1ClusterRole>(s),
        ["clusterrolebindings.rbac.authorization.k8s.io"] = s => KubernetesJson.Deserialize<V1ClusterRoleBinding>(s),
        ["priorityclasses.scheduling.k8s.io"] = s => KubernetesJson.Deserialize<V1PriorityClass>(s),
        ["events.events.k8s.io"] = s => KubernetesJson.Deserialize<Eventsv1Event>(s),
        ["customresourcedefinitions.apiextensions.k8s.io"] = s => KubernetesJson.Deserialize<V1CustomResourceDefinition>(s),
    };

    /// <summary>
    /// Checks that the body decodes into the kind's KubernetesClient model (types of every known field), and removes the
    /// fields the model does not know (returned as paths), as the real server drops unknown fields of built-in kinds.
    /// </summary>
    public static IReadOnlyList<string> Check(ResourceType type, JsonObject obj)
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
}
