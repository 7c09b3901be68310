using System.Security.Claims;
using Studio.Domain.Common;
using Studio.Domain.Endpoints;
using Studio.Infrastructure.Workspaces;
using Studio.Web.Security;

namespace Studio.Web.Api;

/// <summary>
/// Reads Azure ML CLI v2 Kubernetes online endpoint and deployment YAML into their specs, checked by the domain's rules
/// (names, settings, probes, traffic-free create): what a create-from-YAML form or a script asks before creating.
/// Creates nothing. A file of another kind is a 422 that says what it is and where it goes.
/// </summary>
public static class EndpointImportEndpoints
{
    public static IEndpointRouteBuilder MapEndpointImportApi(this IEndpointRouteBuilder app)
    {
        var endpoints = app.MapGroup("/api/workspaces/{workspace}/endpoints").WithTags("Endpoints").RequireAuthorization(Policies.SignedIn);

        endpoints.MapPost("/import", async (string workspace, HttpContext http, ClaimsPrincipal user, WorkspaceService workspaces, CancellationToken ct) =>
            {
                if (await workspaces.GetAsync(user.ToActor(), workspace, ct) is { IsSuccess: false } hidden)
                {
                    return hidden.Errors.ToProblem();
                }

                var imported = OnlineEndpointYaml.Import(await JobEndpoints.ReadTextAsync(http, ct));
                return Answer(imported, i => i.Spec.Validate());
            })
            .WithName("ImportOnlineEndpointYaml")
            .WithSummary("Reads a kubernetesOnlineEndpoint YAML (name, compute, auth_mode, description, tags) into its spec and checks it; lists unsupported keys by path. Creates nothing.")
            .Accepts<string>(JobEndpoints.YamlTypes[0], JobEndpoints.YamlTypes[1..])
            .Produces<EndpointImport>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);

        endpoints.MapPost("/import-deployment", async (string workspace, HttpContext http, ClaimsPrincipal user, WorkspaceService workspaces, CancellationToken ct) =>
            {
                if (await workspaces.GetAsync(user.ToActor(), workspace, ct) is { IsSuccess: false } hidden)
                {
                    return hidden.Errors.ToProblem();
                }

                var imported = OnlineDeploymentYaml.Import(await JobEndpoints.ReadTextAsync(http, ct));
                return Answer(imported, i => i.Spec.Validate());
            })
            .WithName("ImportOnlineDeploymentYaml")
            .WithSummary("Reads a kubernetesOnlineDeployment YAML (model, code_configuration, environment, instance type or resources, scale, request settings, probes) into its spec with Azure ML's defaults and checks it; lists unsupported keys by path. Creates nothing.")
            .Accepts<string>(JobEndpoints.YamlTypes[0], JobEndpoints.YamlTypes[1..])
            .Produces<DeploymentImport>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);

        return app;
    }

    private static IResult Answer<T>(Result<T> imported, Func<T, IReadOnlyList<Error>> validate)
    {
        if (!imported.IsSuccess)
        {
            return imported.Errors.ToProblem();
        }

        var errors = validate(imported.Value);
        return errors.Count > 0 ? errors.ToProblem() : Results.Ok(imported.Value);
    }
}
