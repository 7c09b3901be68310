using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Studio.Infrastructure.Compute;

/// <summary>
/// Applies manifest objects with server-side apply under field manager <c>studio</c> (force), so a re-run after a crash
/// converges; reads them back for plans and health.
/// </summary>
internal static class ManifestApplier
{
    public const string FieldManager = "studio";

    public static async Task ApplyAsync(IKubernetes client, ManifestObject o, CancellationToken ct)
    {
        var patch = new V1Patch(KubernetesJson.Serialize(o.Body), V1Patch.PatchType.ApplyPatch);
        _ = o.Kind switch
        {
            "Namespace" => (object)await client.CoreV1.PatchNamespaceAsync(patch, o.Name, fieldManager: FieldManager, force: true, cancellationToken: ct).ConfigureAwait(false),
            "CustomResourceDefinition" => await client.ApiextensionsV1.PatchCustomResourceDefinitionAsync(patch, o.Name, fieldManager: FieldManager, force: true, cancellationToken: ct).ConfigureAwait(false),
            "ServiceAccount" => await client.CoreV1.PatchNamespacedServiceAccountAsync(patch, o.Name, o.Namespace, fieldManager: FieldManager, force: true, cancellationToken: ct).ConfigureAwait(false),
            "ClusterRole" => await client.RbacAuthorizationV1.PatchClusterRoleAsync(patch, o.Name, fieldManager: FieldManager, force: true, cancellationToken: ct).ConfigureAwait(false),
            "ClusterRoleBinding" => await client.RbacAuthorizationV1.PatchClusterRoleBindingAsync(patch, o.Name, fieldManager: FieldManager, force: true, cancellationToken: ct).ConfigureAwait(false),
            "RoleBinding" => await client.RbacAuthorizationV1.PatchNamespacedRoleBindingAsync(patch, o.Name, o.Namespace, fieldManager: FieldManager, force: true, cancellationToken: ct).ConfigureAwait(false),
            "ConfigMap" => await client.CoreV1.PatchNamespacedConfigMapAsync(patch, o.Name, o.Namespace, fieldManager: FieldManager, force: true, cancellationToken: ct).ConfigureAwait(false),
            "Service" => await client.CoreV1.PatchNamespacedServiceAsync(patch, o.Name, o.Namespace, fieldManager: FieldManager, force: true, cancellationToken: ct).ConfigureAwait(false),
            "ResourceQuota" => await client.CoreV1.PatchNamespacedResourceQuotaAsync(patch, o.Name, o.Namespace, fieldManager: FieldManager, force: true, cancellationToken: ct).ConfigureAwait(false),
            "InstanceType" => await client.CustomObjects.PatchClusterCustomObjectAsync(patch, ExtensionManifests.InstanceTypeGroup, ExtensionManifests.InstanceTypeVersion, ExtensionManifests.InstanceTypePlural, o.Name, fieldManager: FieldManager, force: true, cancellationToken: ct).ConfigureAwait(false),
            _ => throw new NotSupportedException($"Studio does not apply {o.Kind} objects."),
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
                "InstanceType" => await client.CustomObjects.GetClusterCustomObjectAsync(ExtensionManifests.InstanceTypeGroup, ExtensionManifests.InstanceTypeVersion, ExtensionManifests.InstanceTypePlural, o.Name, ct).ConfigureAwait(false),
                _ => throw new NotSupportedException($"Studio does not read {o.Kind} objects."),
            };
            return live is JsonElement element ? JsonNode.Parse(element.GetRawText()) : JsonNode.Parse(KubernetesJson.Serialize(live));
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>Create when absent, Unchanged when every field Studio sets already has that value, Update otherwise.</summary>
    public static async Task<PlanAction> PlanAsync(IKubernetes client, ManifestObject o, CancellationToken ct)
    {
        var live = await ReadAsync(client, o, ct).ConfigureAwait(false);
        if (live is null)
        {
            return PlanAction.Create;
        }

        var desired = JsonNode.Parse(KubernetesJson.Serialize(o.Body));
        return Contains(live, desired) ? PlanAction.Unchanged : PlanAction.Update;
    }

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
