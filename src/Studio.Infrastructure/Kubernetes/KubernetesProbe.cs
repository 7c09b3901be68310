using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Studio.Infrastructure.Kubernetes;

/// <summary>Small reads shared by features: access reviews, namespaces, custom-resource names and a namespace's workloads.</summary>
public static class KubernetesProbe
{
    public static async Task<bool> AllowedAsync(IKubernetes client, string verb, string group, string resource, string? @namespace, CancellationToken ct)
    {
        var review = await client.AuthorizationV1.CreateSelfSubjectAccessReviewAsync(
            new V1SelfSubjectAccessReview
            {
                ApiVersion = "authorization.k8s.io/v1",
                Kind = "SelfSubjectAccessReview",
                Spec = new V1SelfSubjectAccessReviewSpec { ResourceAttributes = new V1ResourceAttributes { Verb = verb, Group = group, Resource = resource, NamespaceProperty = @namespace } },
            },
            cancellationToken: ct).ConfigureAwait(false);
        return review.Status?.Allowed == true;
    }

    public static async Task<V1Namespace?> FindNamespaceAsync(IKubernetes client, string name, CancellationToken ct)
    {
        try
        {
            return await client.CoreV1.ReadNamespaceAsync(name, cancellationToken: ct).ConfigureAwait(false);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>Names of a cluster-scoped custom resource's objects, sorted, or null when the resource type is not served.</summary>
    public static async Task<IReadOnlyList<string>?> ClusterCustomObjectNamesAsync(IKubernetes client, string group, string version, string plural, CancellationToken ct)
    {
        try
        {
            var list = await client.CustomObjects.ListClusterCustomObjectAsync<CustomResourceList>(group, version, plural, cancellationToken: ct).ConfigureAwait(false);
            return [.. list.Items.Select(i => i.Metadata.Name).Order(StringComparer.Ordinal)];
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>Jobs still running (status.active &gt; 0 or not finished) and Deployments (endpoints) in a namespace.</summary>
    public static async Task<(IReadOnlyList<string> Jobs, IReadOnlyList<string> Endpoints)> WorkloadsAsync(IKubernetes client, string @namespace, CancellationToken ct)
    {
        var jobs = await client.BatchV1.ListNamespacedJobAsync(@namespace, cancellationToken: ct).ConfigureAwait(false);
        var running = jobs.Items.Where(j => (j.Status?.Active ?? 0) > 0 || (j.Status?.CompletionTime is null && !(j.Status?.Conditions?.Any(c => c.Type is "Complete" or "Failed" && c.Status == "True") ?? false)))
            .Select(j => j.Metadata.Name).ToList();
        var deployments = await client.AppsV1.ListNamespacedDeploymentAsync(@namespace, cancellationToken: ct).ConfigureAwait(false);
        return (running, [.. deployments.Items.Select(d => d.Metadata.Name)]);
    }

    /// <summary>One actionable sentence: the same wording as the connection check (<see cref="ClusterProblems"/>).</summary>
    public static string Describe(Exception e) => ClusterProblems.Describe(e);

    internal sealed class CustomResourceList
    {
        public List<CustomResourceItem> Items { get; set; } = [];
    }

    internal sealed class CustomResourceItem
    {
        public V1ObjectMeta Metadata { get; set; } = new();
    }
}
