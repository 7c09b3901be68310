using System.Security.Claims;
using Studio.Domain.Common;
using Studio.Infrastructure.Clusters;
using Studio.Infrastructure.Kubernetes.Inventory;
using Studio.Web.Security;

namespace Studio.Web.Api;

/// <summary>REST API for clusters (<c>/api/clusters/{name}</c>): register by kubeconfig, inventory, nodes, namespaces. Reads show only the clusters the caller sees (<see cref="ClusterVisibility"/>); others are not found.</summary>
public static class ClusterEndpoints
{
    public static IEndpointRouteBuilder MapClusterApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/clusters").WithTags("Clusters").RequireAuthorization(Policies.SignedIn);

        group.MapGet("/", async (ClaimsPrincipal user, ClusterService clusters, InventoryRegistry inventories, TimeProvider clock, CancellationToken ct) =>
            {
                var list = await clusters.ListAsync(user.ToActor(), ct);
                var views = new List<ClusterView>();
                foreach (var cluster in list)
                {
                    views.Add(await ClusterView.LoadAsync(cluster, inventories, clock, wait: false, ct));
                }

                return Results.Ok(views);
            })
            .WithName("ListClusters").WithSummary("Registered clusters with their live status, version, node count and capacity.");

        group.MapGet("/{name}", async (string name, ClaimsPrincipal user, ClusterService clusters, InventoryRegistry inventories, TimeProvider clock, CancellationToken ct) =>
            {
                var cluster = await clusters.GetAsync(user.ToActor(), name, ct);
                return cluster.IsSuccess ? Results.Ok(await ClusterView.LoadAsync(cluster.Value, inventories, clock, wait: true, ct)) : cluster.Errors.ToProblem();
            })
            .WithName("GetCluster").Produces<ClusterView>().ProducesProblem(StatusCodes.Status404NotFound);

        group.MapPost("/", async (RegisterClusterBody body, ClaimsPrincipal user, ClusterService clusters, CancellationToken ct) =>
            {
                var result = await clusters.RegisterAsync(user.ToActor(), new RegisterClusterRequest(body.Name, body.DisplayName, body.Kubeconfig, body.Context), ct);
                return result.IsSuccess ? Results.Created($"/api/clusters/{result.Value.Name}", result.Value) : result.Errors.ToProblem();
            })
            .RequireAuthorization(Policies.Administrator)
            .WithName("RegisterCluster").WithSummary("Registers one context of a kubeconfig after a connection check; credentials are stored encrypted and never returned.")
            .Produces<ClusterSummary>(StatusCodes.Status201Created).ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict);

        group.MapPost("/inspect", (KubeconfigBody body, ClusterService clusters) =>
            {
                var result = clusters.Inspect(body.Kubeconfig);
                return result.IsSuccess ? Results.Ok(result.Value) : result.Errors.ToProblem();
            })
            .RequireAuthorization(Policies.Administrator)
            .WithName("InspectKubeconfig").WithSummary("Lists a kubeconfig's contexts, refusing file references, unlisted exec plugins and plain http.");

        group.MapPost("/test-connection", async (KubeconfigBody body, ClusterService clusters, CancellationToken ct) =>
            {
                var result = await clusters.CheckAsync(body.Kubeconfig, body.Context, ct);
                return result.IsSuccess ? Results.Ok(result.Value) : result.Errors.ToProblem();
            })
            .RequireAuthorization(Policies.Administrator)
            .WithName("TestKubeconfigConnection").WithSummary("Checks reachability, TLS, version and permissions of a kubeconfig context before saving it.");

        group.MapPost("/{name}/test-connection", async (string name, ClusterService clusters, CancellationToken ct) =>
            {
                var result = await clusters.CheckAsync(name, ct);
                return result.IsSuccess ? Results.Ok(result.Value) : result.Errors.ToProblem();
            })
            .RequireAuthorization(Policies.Administrator)
            .WithName("TestClusterConnection");

        group.MapPatch("/{name}", async (string name, EditClusterBody body, ClaimsPrincipal user, ClusterService clusters, CancellationToken ct) =>
            {
                var result = await clusters.EditAsync(user.ToActor(), name, body.DisplayName, body.Labels, ct);
                return result.IsSuccess ? Results.Ok(result.Value) : result.Errors.ToProblem();
            })
            .RequireAuthorization(Policies.Administrator)
            .WithName("EditCluster").WithSummary("Changes the display name and labels.");

        group.MapPut("/{name}/credentials", async (string name, KubeconfigBody body, ClaimsPrincipal user, ClusterService clusters, CancellationToken ct) =>
            {
                var result = await clusters.RotateCredentialsAsync(user.ToActor(), name, body.Kubeconfig, body.Context, ct);
                return result.IsSuccess ? Results.Ok(result.Value) : result.Errors.ToProblem();
            })
            .RequireAuthorization(Policies.Administrator)
            .WithName("RotateClusterCredentials").WithSummary("Replaces the credentials after a successful connection check.");

        group.MapDelete("/{name}", async (string name, ClaimsPrincipal user, ClusterService clusters, CancellationToken ct) =>
                (await clusters.RemoveAsync(user.ToActor(), name, ct)).ToHttp())
            .RequireAuthorization(Policies.Administrator)
            .WithName("RemoveCluster").WithSummary("Removes a cluster; refused while compute targets are attached.");

        group.MapGet("/{name}/nodes", (string name, string? search, string? pool, string? sortBy, bool? descending, int? skip, int? take, ClaimsPrincipal user, ClusterService clusters, InventoryRegistry inventories, CancellationToken ct) =>
                WithInventoryAsync(user, name, clusters, inventories, inventory => new NodeQuery(search, pool, sortBy, descending ?? false, skip ?? 0, take ?? 50).Run(inventory), ct))
            .WithName("ListClusterNodes").WithSummary("Nodes with capacity, allocatable and requests; filtered, sorted and paged on the server.");

        group.MapGet("/{name}/nodes/{node}", (string name, string node, ClaimsPrincipal user, ClusterService clusters, ClusterVisibility visibility, InventoryRegistry inventories, CancellationToken ct) =>
                AnswerFromInventoryAsync(user, name, clusters, inventories, (inventory, hidden) => NodeDetail.Read(inventory, node, hidden) is { } detail
                    ? Results.Ok(detail)
                    : new[] { Error.NotFound($"Cluster '{name}' has no node '{node}'.") }.ToProblem(), ct, visibility))
            .WithName("GetClusterNode").WithSummary("One node: conditions, taints, labels, requested of allocatable, the pods bound to it and who holds its GPUs.")
            .Produces<NodeDetail>().ProducesProblem(StatusCodes.Status404NotFound);

        group.MapGet("/{name}/pods", (string name, string? @namespace, string? phase, string? node, string? search, string? sortBy, bool? descending, int? skip, int? take, ClaimsPrincipal user, ClusterService clusters, ClusterVisibility visibility, InventoryRegistry inventories, CancellationToken ct) =>
            {
                var query = new PodQuery(@namespace, phase, node, search, sortBy, descending ?? false, skip ?? 0, take ?? 50);
                var invalid = query.Validate();
                return invalid.Count > 0
                    ? Task.FromResult(invalid.ToProblem())
                    : AnswerFromInventoryAsync(user, name, clusters, inventories, (inventory, hidden) => Results.Ok((query with { HiddenNamespaces = hidden }).Run(inventory)), ct, visibility);
            })
            .WithName("ListClusterPods").WithSummary("Pods with namespace, owner, phase, node, restarts and age; filtered (namespace, phase, node, name contains), sorted and paged on the server.")
            .Produces<PodPage>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);

        group.MapGet("/{name}/namespaces", (string name, ClaimsPrincipal user, ClusterService clusters, InventoryRegistry inventories, CancellationToken ct) =>
                WithInventoryAsync(user, name, clusters, inventories, inventory => inventory.Namespaces.Snapshot().Order(StringComparer.Ordinal).ToList(), ct))
            .WithName("ListClusterNamespaces");

        return app;
    }

    /// <summary>Answers from the cluster's shared inventory (joining it, waiting for its first sync).</summary>
    private static Task<IResult> WithInventoryAsync<T>(ClaimsPrincipal user, string name, ClusterService clusters, InventoryRegistry inventories, Func<ClusterInventory, T> read, CancellationToken ct) =>
        AnswerFromInventoryAsync(user, name, clusters, inventories, (inventory, _) => Results.Ok(read(inventory)), ct);

    /// <summary>Answers from the cluster's shared inventory (joining it, waiting for its first sync), the answer's status chosen by <paramref name="answer"/>.</summary>
    /// <remarks>With <paramref name="visibility"/>, <paramref name="answer"/> gets the namespaces whose pods the caller may not see (other workspaces').</remarks>
    private static async Task<IResult> AnswerFromInventoryAsync(ClaimsPrincipal user, string name, ClusterService clusters, InventoryRegistry inventories, Func<ClusterInventory, IReadOnlySet<string>?, IResult> answer, CancellationToken ct, ClusterVisibility? visibility = null)
    {
        var cluster = await clusters.GetAsync(user.ToActor(), name, ct);
        if (!cluster.IsSuccess)
        {
            return cluster.Errors.ToProblem();
        }

        var hidden = visibility is null ? null : await visibility.HiddenNamespacesAsync(user.ToActor(), cluster.Value.Id, ct);

        var lease = await inventories.AcquireAsync(cluster.Value.Id, ct);
        if (!lease.IsSuccess)
        {
            return lease.Errors.ToProblem();
        }

        using (lease.Value)
        {
            try
            {
                await lease.Value.Inventory.FirstSync.WaitAsync(TimeSpan.FromSeconds(30), ct);
            }
            catch (TimeoutException)
            {
                return Results.Problem(lease.Value.Inventory.Health.Problem ?? "The cluster did not answer within 30 s.", statusCode: StatusCodes.Status503ServiceUnavailable, title: "Cluster unavailable.");
            }

            return answer(lease.Value.Inventory, hidden);
        }
    }
}
