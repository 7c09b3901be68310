using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Options;

namespace Studio.Infrastructure.Kubernetes;

/// <summary>
/// Checks a cluster before it is saved and on demand: reachability, TLS, server version, and — through
/// SelfSubjectAccessReview — whether the credentials may do what each studio feature needs.
/// </summary>
public sealed class ConnectionChecker(IOptions<ClusterAccessOptions> options)
{
    /// <summary>What each feature needs (verb, API group, resource).</summary>
    public static IReadOnlyList<(string Feature, string Verb, string Group, string Resource)> Needs { get; } =
    [
        ("Inventory", "list", "", "nodes"),
        ("Inventory", "watch", "", "nodes"),
        ("Inventory", "list", "", "pods"),
        ("Inventory", "watch", "", "pods"),
        ("Inventory", "list", "", "namespaces"),
        ("Inventory", "list", "", "events"),
        ("Extension", "create", "apiextensions.k8s.io", "customresourcedefinitions"),
        ("Extension", "create", "rbac.authorization.k8s.io", "clusterroles"),
        ("Compute targets", "create", "", "namespaces"),
        ("Compute targets", "create", "", "resourcequotas"),
        ("Instance types", "list", "amlarc.azureml.com", "instancetypes"),
        ("Instance types", "create", "amlarc.azureml.com", "instancetypes"),
        ("Jobs", "create", "batch", "jobs"),
        ("Jobs", "get", "", "pods/log"),
        ("Endpoints", "create", "apps", "deployments"),
        ("Endpoints", "create", "", "services"),
    ];

    public async Task<ConnectionReport> CheckAsync(IKubernetes client, CancellationToken cancellationToken)
    {
        var server = client.BaseUri?.ToString().TrimEnd('/') ?? "the API server";
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Value.RequestTimeout);
        VersionInfo version;
        try
        {
            version = await client.Version.GetCodeAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new ConnectionReport(server, false, null, $"Unreachable: {server} did not answer within {options.Value.RequestTimeout.TotalSeconds:0} s.", [], null);
        }
        catch (Exception ex) when (ex is HttpRequestException or HttpOperationException or System.Security.Authentication.AuthenticationException or IOException)
        {
            var reachable = ex is HttpOperationException;
            return new ConnectionReport(server, reachable, null, ClusterProblems.Describe(ex, server), [], null);
        }

        var permissions = new List<PermissionCheck>();
        string? note = null;
        foreach (var (feature, verb, group, resource) in Needs)
        {
            var parts = resource.Split('/', 2);
            try
            {
                var review = await client.AuthorizationV1.CreateSelfSubjectAccessReviewAsync(
                    new V1SelfSubjectAccessReview
                    {
                        Spec = new V1SelfSubjectAccessReviewSpec
                        {
                            ResourceAttributes = new V1ResourceAttributes { Verb = verb, Group = group, Resource = parts[0], Subresource = parts.Length > 1 ? parts[1] : null },
                        },
                    },
                    cancellationToken: timeout.Token);
                permissions.Add(new PermissionCheck(feature, verb, group, resource, review.Status?.Allowed == true));
            }
            catch (HttpOperationException ex) when (ex.Response.StatusCode is System.Net.HttpStatusCode.NotFound or System.Net.HttpStatusCode.MethodNotAllowed)
            {
                note = "This server does not answer SelfSubjectAccessReview, so the studio cannot tell in advance what the credentials may do.";
                permissions.AddRange(Needs.Skip(permissions.Count).Select(n => new PermissionCheck(n.Feature, n.Verb, n.Group, n.Resource, null)));
                break;
            }
            catch (HttpOperationException ex) when (ex.Response.StatusCode == System.Net.HttpStatusCode.Forbidden)
            {
                permissions.Add(new PermissionCheck(feature, verb, group, resource, null));
                note = "The credentials may not create SelfSubjectAccessReviews, so some permissions could not be checked.";
            }
        }

        var problem = permissions.Where(p => p.Feature == "Inventory").Any(p => p.Allowed == false)
            ? "The credentials may not list and watch nodes, pods and namespaces, so the studio cannot show this cluster's inventory."
            : null;
        return new ConnectionReport(server, true, version.GitVersion, problem, permissions, note);
    }
}
