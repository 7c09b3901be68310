using System.Security.Claims;
using Studio.Domain.Clusters;
using Studio.Infrastructure.Azure;
using Studio.Infrastructure.Clusters;
using Studio.Web.Security;

namespace Studio.Web.Api;

/// <summary>Discovering AKS and Arc clusters through Azure Resource Manager, and importing one as a cluster.</summary>
public static class AzureEndpoints
{
    public static IEndpointRouteBuilder MapAzureApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/azure").WithTags("Azure").RequireAuthorization(Policies.Administrator);

        group.MapPost("/subscriptions", async (AzureSignIn signIn, AzureClusterDiscovery azure, CancellationToken ct) =>
            {
                var result = await azure.ListSubscriptionsAsync(signIn, ct);
                return result.IsSuccess ? Results.Ok(result.Value) : result.Errors.ToProblem();
            })
            .WithName("ListAzureSubscriptions").WithSummary("Subscriptions the service principal or managed identity can see.");

        group.MapPost("/subscriptions/{subscriptionId}/clusters", async (string subscriptionId, AzureSignIn signIn, AzureClusterDiscovery azure, CancellationToken ct) =>
            {
                var result = await azure.ListClustersAsync(signIn, subscriptionId, ct);
                return result.IsSuccess ? Results.Ok(result.Value) : result.Errors.ToProblem();
            })
            .WithName("ListAzureClusters").WithSummary("AKS and Arc-enabled clusters in a subscription.");

        group.MapPost("/import", async (ImportAzureClusterBody body, ClaimsPrincipal user, AzureClusterDiscovery azure, ClusterService clusters, CancellationToken ct) =>
            {
                if (body.SignIn is null)
                {
                    return new[] { Studio.Domain.Common.Error.Validation("signIn", "Sign in to Azure first: give signIn (a service principal or managed identity).") }.ToProblem();
                }

                if (string.IsNullOrWhiteSpace(body.ResourceId))
                {
                    return new[] { Studio.Domain.Common.Error.Validation("resourceId", "Pick the AKS or Arc cluster to import (its Azure resource id).") }.ToProblem();
                }

                var kubeconfig = await azure.GetKubeconfigAsync(body.SignIn, body.ResourceId, ct);
                if (!kubeconfig.IsSuccess)
                {
                    return kubeconfig.Errors.ToProblem();
                }

                var kind = body.ResourceId.Contains("/Microsoft.Kubernetes/connectedClusters/", StringComparison.OrdinalIgnoreCase) ? ClusterKind.Arc : ClusterKind.Aks;
                var result = await clusters.RegisterAsync(
                    user.ToActor(),
                    new RegisterClusterRequest(body.Name ?? ClusterService.SuggestName(body.ResourceId), body.DisplayName, kubeconfig.Value, null, kind, body.ResourceId),
                    ct);
                return result.IsSuccess ? Results.Created($"/api/clusters/{result.Value.Name}", result.Value) : result.Errors.ToProblem();
            })
            .WithName("ImportAzureCluster").WithSummary("Imports an AKS cluster with its user credentials (listClusterUserCredential) after a connection check.");

        return app;
    }
}
