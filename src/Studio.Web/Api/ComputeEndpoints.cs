using System.Security.Claims;
using Studio.Infrastructure.Clusters;
using Studio.Infrastructure.Compute;
using Studio.Web.Security;

namespace Studio.Web.Api;

/// <summary>REST API for the cluster extension (<c>/api/clusters/{id}/extension</c>) and compute targets (<c>/api/workspaces/{ws}/computes</c>).</summary>
public static class ComputeEndpoints
{
    public static IEndpointRouteBuilder MapComputeApi(this IEndpointRouteBuilder app)
    {
        var extension = app.MapGroup("/api/clusters/{cluster}/extension").WithTags("Extension").RequireAuthorization(Policies.SignedIn);

        extension.MapGet("/", async (string cluster, ClaimsPrincipal user, ClusterService clusters, ExtensionService service, CancellationToken ct) =>
            {
                if (await clusters.GetAsync(user.ToActor(), cluster, ct) is { IsSuccess: false } hidden)
                {
                    return hidden.Errors.ToProblem();
                }

                var result = await service.StatusAsync(cluster, ct);
                return result.IsSuccess ? Results.Ok(result.Value) : result.Errors.ToProblem();
            })
            .WithName("GetExtension").WithSummary("Whether the extension is installed, its settings, and a fresh run of its health checks.")
            .Produces<ExtensionStatus>().ProducesProblem(StatusCodes.Status404NotFound);

        extension.MapPost("/plan", async (string cluster, ExtensionSettingsBody body, ClaimsPrincipal user, ExtensionService service, CancellationToken ct) =>
            {
                var result = await service.PlanAsync(user.ToActor(), cluster, body.ToSettings(), ct);
                return result.IsSuccess ? Results.Ok(result.Value) : result.Errors.ToProblem();
            })
            .RequireAuthorization(Policies.Administrator)
            .WithName("PlanExtension").WithSummary("Every object an install or update would create or change, with YAML; changes nothing.")
            .Produces<ExtensionPlan>().ProducesValidationProblem();

        extension.MapPut("/", async (string cluster, ExtensionSettingsBody body, ClaimsPrincipal user, ExtensionService service, CancellationToken ct) =>
            {
                var result = await service.InstallAsync(user.ToActor(), cluster, body.ToSettings(), ct);
                return result.IsSuccess ? Results.Ok(result.Value) : result.Errors.ToProblem();
            })
            .RequireAuthorization(Policies.Administrator)
            .WithName("InstallExtension").WithSummary("Installs the extension or updates its settings (server-side apply; safe to repeat).")
            .Produces<ExtensionStatus>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict);

        extension.MapDelete("/", async (string cluster, bool? force, ClaimsPrincipal user, ExtensionService service, CancellationToken ct) =>
                (await service.UninstallAsync(user.ToActor(), cluster, force ?? false, ct)).ToHttp())
            .RequireAuthorization(Policies.Administrator)
            .WithName("UninstallExtension").WithSummary("Uninstalls the extension; refused while compute targets exist unless force=true. Never deletes user namespaces.")
            .Produces(StatusCodes.Status204NoContent).ProducesProblem(StatusCodes.Status409Conflict);

        var computes = app.MapGroup("/api/workspaces/{workspace}/computes").WithTags("Compute").RequireAuthorization(Policies.SignedIn);

        computes.MapGet("/", async (string workspace, ClaimsPrincipal user, ComputeService service, CancellationToken ct) =>
            {
                var result = await service.ListAsync(user.ToActor(), workspace, ct);
                return result.IsSuccess ? Results.Ok(result.Value) : result.Errors.ToProblem();
            })
            .WithName("ListComputes").Produces<IReadOnlyList<ComputeSummary>>().ProducesProblem(StatusCodes.Status404NotFound);

        computes.MapGet("/{name}", async (string workspace, string name, ClaimsPrincipal user, ComputeService service, CancellationToken ct) =>
            {
                var result = await service.GetAsync(user.ToActor(), workspace, name, ct);
                return result.IsSuccess ? Results.Ok(result.Value) : result.Errors.ToProblem();
            })
            .WithName("GetCompute").WithSummary("A compute target with its running jobs, endpoints and available instance types.")
            .Produces<ComputeSummary>().ProducesProblem(StatusCodes.Status404NotFound);

        computes.MapPost("/preflight", async (string workspace, AttachComputeBody body, ClaimsPrincipal user, ComputeService service, CancellationToken ct) =>
            {
                var result = await service.PreflightAsync(user.ToActor(), workspace, body.ToRequest(), ct);
                return result.IsSuccess ? Results.Ok(result.Value) : result.Errors.ToProblem();
            })
            .RequireAuthorization(Policies.Administrator)
            .WithName("PreflightCompute").WithSummary("Runs the attach checks without changing anything.")
            .Produces<PreflightReport>().ProducesValidationProblem();

        computes.MapPost("/", async (string workspace, AttachComputeBody body, ClaimsPrincipal user, ComputeService service, CancellationToken ct) =>
            {
                var result = await service.AttachAsync(user.ToActor(), workspace, body.ToRequest(), ct);
                return result.IsSuccess ? Results.Created($"/api/workspaces/{workspace}/computes/{result.Value.Name}", result.Value) : result.Errors.ToProblem();
            })
            .RequireAuthorization(Policies.Administrator)
            .WithName("AttachCompute").WithSummary("Attaches a cluster as a compute target (pre-flight first; createNamespace and confirmSharedNamespace confirm).")
            .Produces<ComputeSummary>(StatusCodes.Status201Created).ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict);

        computes.MapPatch("/{name}", async (string workspace, string name, SetIdentityBody body, ClaimsPrincipal user, ComputeService service, CancellationToken ct) =>
            {
                var result = await service.SetIdentityAsync(user.ToActor(), workspace, name, body.Identity, ct);
                return result.IsSuccess ? Results.Ok(result.Value) : result.Errors.ToProblem();
            })
            .RequireAuthorization(Policies.Administrator)
            .WithName("SetComputeIdentity").WithSummary("Changes the identity, the only property that can change after attach.")
            .Produces<ComputeSummary>();

        computes.MapPut("/{name}/pod-security", async (string workspace, string name, ComputePodSecurityBody body, ClaimsPrincipal user, ComputeService service, CancellationToken ct) =>
            {
                if (body.PodSecurity is not { } level)
                {
                    return Results.ValidationProblem(new Dictionary<string, string[]> { ["podSecurity"] = ["Choose restricted or baseline."] });
                }

                var result = await service.SetPodSecurityAsync(user.ToActor(), workspace, name, level, ct);
                return result.IsSuccess ? Results.Ok(result.Value) : result.Errors.ToProblem();
            })
            .RequireAuthorization(Policies.Administrator)
            .WithName("SetComputePodSecurity").WithSummary("Sets the Pod Security Standard of the target's jobs (restricted, or baseline for images that need root) and labels its namespace to enforce it.")
            .Produces<ComputeSummary>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);

        computes.MapDelete("/{name}", async (string workspace, string name, bool? cancelWorkloads, bool? deleteNamespace, ClaimsPrincipal user, ComputeService service, CancellationToken ct) =>
            {
                var result = await service.DetachAsync(user.ToActor(), workspace, name, cancelWorkloads ?? false, deleteNamespace ?? false, ct);
                return result.IsSuccess ? Results.Ok(new { message = result.Value }) : result.Errors.ToProblem();
            })
            .RequireAuthorization(Policies.Administrator)
            .WithName("DetachCompute").WithSummary("Detaches (unlinks); refused while jobs or endpoints run unless cancelWorkloads=true; deleteNamespace only removes an empty namespace Studio created.")
            .ProducesProblem(StatusCodes.Status409Conflict);

        return app;
    }
}
