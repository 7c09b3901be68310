using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Studio.Infrastructure.Kubernetes;

/// <summary>
/// The one way Studio writes Kubernetes objects: server-side apply under field manager <see cref="FieldManager"/>
/// (force), so a retried or re-run apply converges on the same objects. Reads and deletes the same objects back.
/// Built-in kinds use their typed calls; any other kind is a custom resource addressed by
/// <see cref="ManifestObject.Plural"/>, cluster-scoped when it has no namespace.
/// </summary>
public static class ServerSideApplier
{
    /// <summary>The field manager of every object Studio applies (<c>kubectl get -o yaml --show-managed-fields</c> shows it).</summary>
    public const string FieldManager = "studio";

    /// <summary>Applies one object and returns what the server answered (a typed object, or JSON for a custom resource).</summary>
    public static async Task<object> ApplyAsync(IKubernetes client, ManifestObject o, CancellationToken ct)
    {
        var patch = Patch(o.Body);
        return o.Kind switch
        {
            "Namespace" => await client.CoreV1.PatchNamespaceAsync(patch, o.Name, fieldManager: FieldManager, force: true, cancellationToken: ct).ConfigureAwait(false),
            "CustomResourceDefinition" => await client.ApiextensionsV1.PatchCustomResourceDefinitionAsync(patch, o.Name, fieldManager: FieldManager, force: true, cancellationToken: ct).ConfigureAwait(false),
            "ServiceAccount" => await client.CoreV1.PatchNamespacedServiceAccountAsync(patch, o.Name, o.Namespace, fieldManager: FieldManager, force: true, cancellationToken: ct).ConfigureAwait(false),
            "ClusterRole" => await client.RbacAuthorizationV1.PatchClusterRoleAsync(patch, o.Name, fieldManager: FieldManager, force: true, cancellationToken: ct).ConfigureAwait(false),
            "ClusterRoleBinding" => await client.RbacAuthorizationV1.PatchClusterRoleBindingAsync(patch, o.Name, fieldManager: FieldManager, force: true, cancellationToken: ct).ConfigureAwait(false),
            "RoleBinding" => await client.RbacAuthorizationV1.PatchNamespacedRoleBindingAsync(patch, o.Name, o.Namespace, fieldManager: FieldManager, force: true, cancellationToken: ct).ConfigureAwait(false),
            "ConfigMap" => await client.CoreV1.PatchNamespacedConfigMapAsync(patch, o.Name, o.Namespace, fieldManager: FieldManager, force: true, cancellationToken: ct).ConfigureAwait(false),
            "Service" => await client.CoreV1.PatchNamespacedServiceAsync(patch, o.Name, o.Namespace, fieldManager: FieldManager, force: true, cancellationToken: ct).ConfigureAwait(false),
            "ResourceQuota" => await client.CoreV1.PatchNamespacedResourceQuotaAsync(patch, o.Name, o.Namespace, fieldManager: FieldManager, force: true, cancellationToken: ct).ConfigureAwait(false),
            "Job" => await client.BatchV1.PatchNamespacedJobAsync(patch, o.Name, o.Namespace, fieldManager: FieldManager, force: true, cancellationToken: ct).ConfigureAwait(false),
            "PriorityClass" => await client.SchedulingV1.PatchPriorityClassAsync(patch, o.Name, fieldManager: FieldManager, force: true, cancellationToken: ct).ConfigureAwait(false),
            _ when o.Namespace is null => await client.CustomObjects.PatchClusterCustomObjectAsync(patch, o.Group, o.Version, o.Plural, o.Name, fieldManager: FieldManager, force: true, cancellationToken: ct).ConfigureAwait(false),
            _ => await client.CustomObjects.PatchNamespacedCustomObjectAsync(patch, o.Group, o.Version, o.Namespace, o.Plural, o.Name, fieldManager: FieldManager, force: true, cancellationToken: ct).ConfigureAwait(false),
        };
    }

    /// <summary>Applies one object and returns the server's answer as <typeparamref name="T"/> (custom resources are read from their JSON).</summary>
    public static async Task<T> ApplyAsync<T>(IKubernetes client, ManifestObject o, CancellationToken ct)
    {
        var applied = await ApplyAsync(client, o, ct).ConfigureAwait(false);
        return applied switch
        {
            T typed => typed,
            JsonElement json => KubernetesJson.Deserialize<T>(json.GetRawText()),
            _ => KubernetesJson.Deserialize<T>(KubernetesJson.Serialize(applied)),
        };
    }

    /// <summary>The live object as JSON, or null when it does not exist.</summary>
    public static async Task<JsonNode?> ReadAsync(IKubernetes client, ManifestObject o, CancellationToken ct)
    {
        try
        {
            object live = o.Kind switch
            {
                "Namespace" => await client.CoreV1.ReadNamespaceAsync(o.Name, cancellationToken: ct).ConfigureAwait(false),
                "CustomResourceDefinition" => await client.ApiextensionsV1.ReadCustomResourceDefinitionAsync(o.Name, cancellationToken: ct).ConfigureAwait(false),
                "ServiceAccount" => await client.CoreV1.ReadNamespacedServiceAccountAsync(o.Name, o.Namespace, cancellationToken: ct).ConfigureAwait(false),
                "ClusterRole" => await client.RbacAuthorizationV1.ReadClusterRoleAsync(o.Name, cancellationToken: ct).ConfigureAwait(false),
                "ClusterRoleBinding" => await client.RbacAuthorizationV1.ReadClusterRoleBindingAsync(o.Name, cancellationToken: ct).ConfigureAwait(false),
                "RoleBinding" => await client.RbacAuthorizationV1.ReadNamespacedRoleBindingAsync(o.Name, o.Namespace, cancellationToken: ct).ConfigureAwait(false),
                "ConfigMap" => await client.CoreV1.ReadNamespacedConfigMapAsync(o.Name, o.Namespace, cancellationToken: ct).ConfigureAwait(false),
                "Service" => await client.CoreV1.ReadNamespacedServiceAsync(o.Name, o.Namespace, cancellationToken: ct).ConfigureAwait(false),
                "ResourceQuota" => await client.CoreV1.ReadNamespacedResourceQuotaAsync(o.Name, o.Namespace, cancellationToken: ct).ConfigureAwait(false),
                "Job" => await client.BatchV1.ReadNamespacedJobAsync(o.Name, o.Namespace, cancellationToken: ct).ConfigureAwait(false),
                "PriorityClass" => await client.SchedulingV1.ReadPriorityClassAsync(o.Name, cancellationToken: ct).ConfigureAwait(false),
                _ when o.Namespace is null => await client.CustomObjects.GetClusterCustomObjectAsync(o.Group, o.Version, o.Plural, o.Name, ct).ConfigureAwait(false),
                _ => await client.CustomObjects.GetNamespacedCustomObjectAsync(o.Group, o.Version, o.Namespace, o.Plural, o.Name, ct).ConfigureAwait(false),
            };
            return live is JsonElement element ? JsonNode.Parse(element.GetRawText()) : JsonNode.Parse(KubernetesJson.Serialize(live));
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>Deletes one object; false when it was already gone (so a delete converges too).</summary>
    public static async Task<bool> DeleteAsync(IKubernetes client, ManifestObject o, CancellationToken ct)
    {
        try
        {
            _ = o.Kind switch
            {
                "Namespace" => (object)await client.CoreV1.DeleteNamespaceAsync(o.Name, cancellationToken: ct).ConfigureAwait(false),
                "CustomResourceDefinition" => await client.ApiextensionsV1.DeleteCustomResourceDefinitionAsync(o.Name, cancellationToken: ct).ConfigureAwait(false),
                "ServiceAccount" => await client.CoreV1.DeleteNamespacedServiceAccountAsync(o.Name, o.Namespace, cancellationToken: ct).ConfigureAwait(false),
                "ClusterRole" => await client.RbacAuthorizationV1.DeleteClusterRoleAsync(o.Name, cancellationToken: ct).ConfigureAwait(false),
                "ClusterRoleBinding" => await client.RbacAuthorizationV1.DeleteClusterRoleBindingAsync(o.Name, cancellationToken: ct).ConfigureAwait(false),
                "RoleBinding" => await client.RbacAuthorizationV1.DeleteNamespacedRoleBindingAsync(o.Name, o.Namespace, cancellationToken: ct).ConfigureAwait(false),
                "ConfigMap" => await client.CoreV1.DeleteNamespacedConfigMapAsync(o.Name, o.Namespace, cancellationToken: ct).ConfigureAwait(false),
                "Deployment" => await client.AppsV1.DeleteNamespacedDeploymentAsync(o.Name, o.Namespace, cancellationToken: ct).ConfigureAwait(false),
                "Service" => await client.CoreV1.DeleteNamespacedServiceAsync(o.Name, o.Namespace, cancellationToken: ct).ConfigureAwait(false),
                "ResourceQuota" => await client.CoreV1.DeleteNamespacedResourceQuotaAsync(o.Name, o.Namespace, cancellationToken: ct).ConfigureAwait(false),
                "Job" => await client.BatchV1.DeleteNamespacedJobAsync(o.Name, o.Namespace, cancellationToken: ct).ConfigureAwait(false),
                "PriorityClass" => await client.SchedulingV1.DeletePriorityClassAsync(o.Name, cancellationToken: ct).ConfigureAwait(false),
                _ when o.Namespace is null => await client.CustomObjects.DeleteClusterCustomObjectAsync(o.Group, o.Version, o.Plural, o.Name, cancellationToken: ct).ConfigureAwait(false),
                _ => await client.CustomObjects.DeleteNamespacedCustomObjectAsync(o.Group, o.Version, o.Namespace, o.Plural, o.Name, cancellationToken: ct).ConfigureAwait(false),
            };
            return true;
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
    }

    /// <summary>Whether every field Studio sets in <paramref name="body"/> already has that value in <paramref name="live"/>.</summary>
    public static bool IsApplied(JsonNode live, object body) => Contains(live, JsonNode.Parse(KubernetesJson.Serialize(body)));

    private static V1Patch Patch(object body) => new(KubernetesJson.Serialize(body), V1Patch.PatchType.ApplyPatch);

/// <summary>Whether <paramref name="live"/> holds every value of <paramref name="desired"/> (objects compared as subsets).</summary>
    internal static bool Contains(JsonNode? live, JsonNode? desired)
    {
        switch (desired)
        {
            case null:
                return true;
            case JsonObject d:
                if (live is not JsonObject l)
                {
                    return false;
                }

                foreach (var (key, value) in d)
                {
                    if (value is null)
                    {
                        continue;
                    }

                    if (!l.TryGetPropertyValue(key, out var lv) || !Contains(lv, value))
                    {
                        return false;
                    }
                }

                return true;
            case JsonArray da:
                if (live is not JsonArray la || la.Count != da.Count)
                {
                    return false;
                }

                for (var i = 0; i < da.Count; i++)
                {
                    if (!Contains(la[i], da[i]))
                    {
                        return false;
                    }
                }

                return true;
            default:
                return live is JsonValue && string.Equals(Scalar(live), Scalar(desired), StringComparison.Ordinal);
        }
    }

    private static string Scalar(JsonNode node) => node.GetValueKind() == JsonValueKind.String ? node.GetValue<string>() : node.ToJsonString();
}
