using System.Security.Claims;
using Studio.Infrastructure.Environments;
using Studio.Web.Security;

namespace Studio.Web.Api;

/// <summary>REST API for a workspace's named environments (<c>/api/workspaces/{ws}/environments</c>).</summary>
public static class EnvironmentEndpoints
{
    public static IEndpointRouteBuilder MapEnvironmentApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/workspaces/{ws}/environments").WithTags("Environments").RequireAuthorization(Policies.SignedIn);

        group.MapGet("/", async (string ws, ClaimsPrincipal user, EnvironmentService service, CancellationToken ct) =>
            {
                var result = await service.ListAsync(user.ToActor(), ws, ct);
                return result.IsSuccess ? Results.Ok(result.Value) : result.Errors.ToProblem();
            })
            .WithName("ListEnvironments").WithSummary("The workspace's registered environments (every version), then the studio-wide ones it can use.")
            .Produces<IReadOnlyList<EnvironmentSummary>>().ProducesProblem(StatusCodes.Status404NotFound);

        group.MapPost("/", async (string ws, RegisterEnvironmentBody body, ClaimsPrincipal user, EnvironmentService service, CancellationToken ct) =>
            {
                var result = await service.RegisterAsync(user.ToActor(), ws, body.Name, body.Version, body.Image, body.Description, ct);
                return result.IsSuccess
                    ? Results.Created($"/api/workspaces/{Uri.EscapeDataString(ws)}/environments/{Uri.EscapeDataString(result.Value.Name)}/versions/{Uri.EscapeDataString(result.Value.Version!)}", result.Value)
                    : result.Errors.ToProblem();
            })
            .WithName("RegisterEnvironment").WithSummary("Registers a version of an environment (data scientists). Versions are immutable.")
            .Produces<EnvironmentSummary>(StatusCodes.Status201Created).ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict);

        group.MapDelete("/{name}/versions/{version}", async (string ws, string name, string version, ClaimsPrincipal user, EnvironmentService service, CancellationToken ct) =>
                (await service.RemoveAsync(user.ToActor(), ws, name, version, ct)).ToHttp())
            .WithName("RemoveEnvironment").WithSummary("Removes one version (jobs already submitted keep their image).")
            .Produces(StatusCodes.Status204NoContent).ProducesProblem(StatusCodes.Status404NotFound);

        return app;
    }
}
