using System.Security.Claims;
using Studio.Domain.Common;
using Studio.Domain.Endpoints;
using Studio.Domain.Jobs;
using Studio.Infrastructure.Endpoints;
using Studio.Infrastructure.Workspaces;
using Studio.Web.Security;

namespace Studio.Web.Api;

/// <summary>
/// Online endpoints and deployments of a workspace. Bodies are Azure ML CLI v2 files — <c>kubernetesOnlineEndpoint</c>
/// and <c>kubernetesOnlineDeployment</c> — as YAML, or the same keys as JSON (JSON is YAML). PUTs create or update and
/// are idempotent; the import routes do the same from a file alone (with <c>?dryRun=true</c> they only check it). Errors
/// are problem details naming the file's path (<c>resources.requests.cpu</c>, <c>traffic.green</c>).
/// </summary>
public static class OnlineEndpointEndpoints
{
    public static IEndpointRouteBuilder MapOnlineEndpointApi(this IEndpointRouteBuilder app)
    {
        var endpoints = app.MapGroup("/api/workspaces/{workspace}/endpoints").WithTags("Endpoints").RequireAuthorization(Policies.SignedIn);

        endpoints.MapGet("/", async (string workspace, ClaimsPrincipal user, EndpointService service, CancellationToken ct) =>
                (await service.ListAsync(user.ToActor(), workspace, ct)) is var r && r.IsSuccess ? Results.Ok(r.Value) : r.Errors.ToProblem())
            .WithName("ListOnlineEndpoints").WithSummary("The workspace's online endpoints with their deployments, traffic and state.")
            .Produces<IReadOnlyList<EndpointView>>().ProducesProblem(StatusCodes.Status404NotFound);

        endpoints.MapGet("/{name}", async (string workspace, string name, ClaimsPrincipal user, EndpointService service, CancellationToken ct) =>
                (await service.GetAsync(user.ToActor(), workspace, name, ct)) is var r && r.IsSuccess ? Results.Ok(r.Value) : r.Errors.ToProblem())
            .WithName("GetOnlineEndpoint").WithSummary("One online endpoint with its deployments (state, ready of desired replicas), traffic and scoring path.")
            .Produces<EndpointView>().ProducesProblem(StatusCodes.Status404NotFound);

        endpoints.MapPut("/{name}", async (string workspace, string name, HttpContext http, ClaimsPrincipal user, EndpointService service, CancellationToken ct) =>
                await PutEndpointAsync(http, user, service, workspace, name, dryRun: false, ct))
            .WithName("PutOnlineEndpoint").WithSummary("Creates the endpoint or updates its description, tags and auth mode from a kubernetesOnlineEndpoint file (YAML or JSON). Idempotent.")
            .Accepts<string>(JobEndpoints.YamlTypes[0], [.. JobEndpoints.YamlTypes[1..], "application/json"])
            .Produces<EndpointSaved>().Produces<EndpointSaved>(StatusCodes.Status201Created).ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);

        endpoints.MapPost("/import", async (string workspace, bool? dryRun, HttpContext http, ClaimsPrincipal user, EndpointService service, CancellationToken ct) =>
                await PutEndpointAsync(http, user, service, workspace, null, dryRun == true, ct))
            .WithName("ImportOnlineEndpointYaml")
            .WithSummary("Creates or updates the endpoint a kubernetesOnlineEndpoint YAML describes (name, compute, auth_mode, description, tags); lists unsupported keys by path. With dryRun=true it only reads and checks the file.")
            .Accepts<string>(JobEndpoints.YamlTypes[0], JobEndpoints.YamlTypes[1..])
            .Produces<EndpointSaved>().Produces<EndpointSaved>(StatusCodes.Status201Created).Produces<EndpointImport>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);

        endpoints.MapDelete("/{name}", async (string workspace, string name, ClaimsPrincipal user, EndpointService service, CancellationToken ct) =>
                (await service.DeleteEndpointAsync(user.ToActor(), workspace, name, ct)).ToHttp())
            .WithName("DeleteOnlineEndpoint").WithSummary("Deletes the endpoint: its deployments' objects on the cluster, then the records.")
            .Produces(StatusCodes.Status204NoContent).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);

        endpoints.MapGet("/{name}/deployments/{deployment}", async (string workspace, string name, string deployment, ClaimsPrincipal user, EndpointService service, CancellationToken ct) =>
                (await service.GetDeploymentAsync(user.ToActor(), workspace, name, deployment, ct)) is var r && r.IsSuccess ? Results.Ok(r.Value) : r.Errors.ToProblem())
            .WithName("GetOnlineDeployment").WithSummary("One deployment: instance type, model, state with reason, ready of desired replicas, the rollout's deadline and timeline.")
            .Produces<DeploymentView>().ProducesProblem(StatusCodes.Status404NotFound);

        endpoints.MapPut("/{name}/deployments/{deployment}", async (string workspace, string name, string deployment, HttpContext http, ClaimsPrincipal user, EndpointService service, CancellationToken ct) =>
                await PutDeploymentAsync(http, user, service, workspace, name, deployment, dryRun: false, ct))
            .WithName("PutOnlineDeployment").WithSummary("Creates or updates a deployment from a kubernetesOnlineDeployment file (YAML or JSON), checked against the compute target, instance type, model and environment, and applies its Deployment and Service. Idempotent.")
            .Accepts<string>(JobEndpoints.YamlTypes[0], [.. JobEndpoints.YamlTypes[1..], "application/json"])
            .Produces<DeploymentSaved>().Produces<DeploymentSaved>(StatusCodes.Status201Created).ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);

        endpoints.MapPost("/{name}/deployments", async (string workspace, string name, HttpContext http, ClaimsPrincipal user, EndpointService service, CancellationToken ct) =>
                await PutDeploymentAsync(http, user, service, workspace, name, null, dryRun: false, ct))
            .WithName("CreateOnlineDeployment").WithSummary("Creates or updates the deployment a kubernetesOnlineDeployment file (YAML or JSON) names, on this endpoint; the same as PUT .../deployments/{deployment}.")
            .Accepts<string>(JobEndpoints.YamlTypes[0], [.. JobEndpoints.YamlTypes[1..], "application/json"])
            .Produces<DeploymentSaved>().Produces<DeploymentSaved>(StatusCodes.Status201Created).ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);

        endpoints.MapPost("/import-deployment", async (string workspace, bool? dryRun, HttpContext http, ClaimsPrincipal user, EndpointService service, CancellationToken ct) =>
                await PutDeploymentAsync(http, user, service, workspace, null, null, dryRun == true, ct))
            .WithName("ImportOnlineDeploymentYaml")
            .WithSummary("Creates or updates the deployment a kubernetesOnlineDeployment YAML describes, on the endpoint its endpoint_name names; lists unsupported keys by path. With dryRun=true it only reads and checks the file.")
            .Accepts<string>(JobEndpoints.YamlTypes[0], JobEndpoints.YamlTypes[1..])
            .Produces<DeploymentSaved>().Produces<DeploymentSaved>(StatusCodes.Status201Created).Produces<DeploymentImport>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);

        endpoints.MapDelete("/{name}/deployments/{deployment}", async (string workspace, string name, string deployment, ClaimsPrincipal user, EndpointService service, CancellationToken ct) =>
                (await service.DeleteDeploymentAsync(user.ToActor(), workspace, name, deployment, ct)).ToHttp())
            .WithName("DeleteOnlineDeployment").WithSummary("Deletes a deployment without live traffic: its Deployment and Service on the cluster, then the record.")
            .Produces(StatusCodes.Status204NoContent).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);

        endpoints.MapPut("/{name}/traffic", async (string workspace, string name, TrafficBody body, ClaimsPrincipal user, EndpointService service, CancellationToken ct) =>
                (await service.SetTrafficAsync(user.ToActor(), workspace, name, new TrafficRequest(body.Traffic, body.MirrorTraffic), ct)) is var r && r.IsSuccess ? Results.Ok(r.Value) : r.Errors.ToProblem())
            .WithName("SetOnlineEndpointTraffic").WithSummary("Sets live traffic per deployment (sums to 0 or 100) and mirrored traffic (one deployment without live traffic, at most 50 %). Idempotent.")
            .Produces<EndpointView>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);

        endpoints.MapGet("/{name}/keys", async (string workspace, string name, ClaimsPrincipal user, EndpointService service, CancellationToken ct) =>
                (await service.KeysAsync(user.ToActor(), workspace, name, ct)) is var r && r.IsSuccess ? Results.Ok(r.Value) : r.Errors.ToProblem())
            .WithName("ListOnlineEndpointKeys").WithSummary("The endpoint's primary and secondary keys, for data scientists of the workspace.")
            .Produces<EndpointKeysView>().ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);

        endpoints.MapPost("/{name}/keys/{keyType}/regenerate", async (string workspace, string name, string keyType, ClaimsPrincipal user, EndpointService service, CancellationToken ct) =>
                (await service.RegenerateKeyAsync(user.ToActor(), workspace, name, keyType, ct)) is var r && r.IsSuccess ? Results.Ok(r.Value) : r.Errors.ToProblem())
            .WithName("RegenerateOnlineEndpointKey").WithSummary("Replaces the primary or the secondary key (keyType: primary|secondary); the other stays valid.")
            .Produces<EndpointKeysView>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);

        return app;
    }

    private static async Task<IResult> PutEndpointAsync(HttpContext http, ClaimsPrincipal user, EndpointService service, string workspace, string? name, bool dryRun, CancellationToken ct)
    {
        var imported = OnlineEndpointYaml.Import(await JobEndpoints.ReadTextAsync(http, ct));
        if (!imported.IsSuccess)
        {
            return imported.Errors.ToProblem();
        }

        if (dryRun)
        {
            return await DryRunAsync(http, user, workspace, imported.Value, imported.Value.Spec.Validate(), ct);
        }

        var saved = await service.PutEndpointAsync(user.ToActor(), workspace, imported.Value.Spec, name, ct);
        if (!saved.IsSuccess)
        {
            return saved.Errors.ToProblem();
        }

        var body = new EndpointSaved(saved.Value.View, imported.Value.Unsupported);
        return saved.Value.Created ? Results.Created($"/api/workspaces/{workspace}/endpoints/{saved.Value.View.Name}", body) : Results.Ok(body);
    }

    private static async Task<IResult> PutDeploymentAsync(HttpContext http, ClaimsPrincipal user, EndpointService service, string workspace, string? endpoint, string? name, bool dryRun, CancellationToken ct)
    {
        var imported = OnlineDeploymentYaml.Import(await JobEndpoints.ReadTextAsync(http, ct));
        if (!imported.IsSuccess)
        {
            return imported.Errors.ToProblem();
        }

        if (dryRun)
        {
            return await DryRunAsync(http, user, workspace, imported.Value, imported.Value.Spec.Validate(), ct);
        }

        var spec = imported.Value.Spec;
        var saved = await service.PutDeploymentAsync(user.ToActor(), workspace, endpoint ?? spec.EndpointName, spec, name, ct);
        if (!saved.IsSuccess)
        {
            return saved.Errors.ToProblem();
        }

        var body = new DeploymentSaved(saved.Value.View, imported.Value.Unsupported);
        return saved.Value.Created ? Results.Created($"/api/workspaces/{workspace}/endpoints/{saved.Value.View.Endpoint}/deployments/{saved.Value.View.Name}", body) : Results.Ok(body);
    }

    private static async Task<IResult> DryRunAsync<T>(HttpContext http, ClaimsPrincipal user, string workspace, T imported, IReadOnlyList<Error> errors, CancellationToken ct)
    {
        var workspaces = http.RequestServices.GetRequiredService<WorkspaceService>();
        if (await workspaces.GetAsync(user.ToActor(), workspace, ct) is { IsSuccess: false } hidden)
        {
            return hidden.Errors.ToProblem();
        }

        return errors.Count > 0 ? errors.ToProblem() : Results.Ok(imported);
    }
}

/// <summary>A saved endpoint, and the keys of its file Studio did not carry over.</summary>
public sealed record EndpointSaved(EndpointView Endpoint, IReadOnlyList<YamlIssue> Unsupported);

/// <summary>A saved deployment, and the keys of its file Studio did not carry over.</summary>
public sealed record DeploymentSaved(DeploymentView Deployment, IReadOnlyList<YamlIssue> Unsupported);

/// <summary>The body of <c>PUT .../traffic</c>: <c>{"traffic": {"blue": 90, "green": 10}, "mirror_traffic": {"green": 20}}</c>.</summary>
public sealed record TrafficBody(
    [property: System.Text.Json.Serialization.JsonPropertyName("traffic")] Dictionary<string, int>? Traffic,
    [property: System.Text.Json.Serialization.JsonPropertyName("mirror_traffic")] Dictionary<string, int>? MirrorTraffic);
