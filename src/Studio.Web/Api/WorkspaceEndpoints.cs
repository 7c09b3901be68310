using System.Security.Claims;
using Studio.Infrastructure.Workspaces;
using Studio.Web.Security;

namespace Studio.Web.Api;

/// <summary>REST API for workspaces (<c>/api/workspaces/{name}</c>) and their members.</summary>
public static class WorkspaceEndpoints
{
    public static IEndpointRouteBuilder MapWorkspaceApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/workspaces").WithTags("Workspaces").RequireAuthorization(Policies.SignedIn);

        group.MapGet("/", async (ClaimsPrincipal user, WorkspaceService service, CancellationToken ct) =>
                TypedResults.Ok(await service.ListAsync(user.ToActor(), ct)))
            .WithName("ListWorkspaces").WithSummary("Workspaces you can see, with your role in each.");

        group.MapGet("/{name}", async (string name, ClaimsPrincipal user, WorkspaceService service, CancellationToken ct) =>
            {
                var result = await service.GetAsync(user.ToActor(), name, ct);
                return result.IsSuccess ? Results.Ok(result.Value) : result.Errors.ToProblem();
            })
            .WithName("GetWorkspace").Produces<WorkspaceSummary>().ProducesProblem(StatusCodes.Status404NotFound);

        group.MapPost("/", async (CreateWorkspaceRequest request, ClaimsPrincipal user, WorkspaceService service, CancellationToken ct) =>
            {
                var result = await service.CreateAsync(user.ToActor(), request.Name, request.Description, ct);
                return result.IsSuccess ? Results.Created($"/api/workspaces/{result.Value.Name}", result.Value) : result.Errors.ToProblem();
            })
            .RequireAuthorization(Policies.Administrator)
            .WithName("CreateWorkspace").Produces<WorkspaceSummary>(StatusCodes.Status201Created)
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict);

        group.MapPatch("/{name}", async (string name, UpdateWorkspaceRequest request, ClaimsPrincipal user, WorkspaceService service, CancellationToken ct) =>
            {
                var result = await service.UpdateAsync(user.ToActor(), name, request.Name, request.Description, ct);
                return result.IsSuccess ? Results.Ok(result.Value) : result.Errors.ToProblem();
            })
            .WithName("UpdateWorkspace").WithSummary("Renames a workspace or changes its description (workspace administrators).")
            .Produces<WorkspaceSummary>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);

        group.MapDelete("/{name}", async (string name, ClaimsPrincipal user, WorkspaceService service, CancellationToken ct) =>
                (await service.DeleteAsync(user.ToActor(), name, ct)).ToHttp())
            .WithName("DeleteWorkspace").WithSummary("Deletes a workspace; refused while compute targets are attached.")
            .Produces(StatusCodes.Status204NoContent).ProducesProblem(StatusCodes.Status409Conflict);

        group.MapGet("/{name}/members", async (string name, ClaimsPrincipal user, WorkspaceService service, CancellationToken ct) =>
            {
                var result = await service.ListMembersAsync(user.ToActor(), name, ct);
                return result.IsSuccess ? Results.Ok(result.Value) : result.Errors.ToProblem();
            })
            .WithName("ListWorkspaceMembers").Produces<IReadOnlyList<MemberSummary>>();

        group.MapPut("/{name}/members/{userId}", async (string name, string userId, SetMemberRequest request, ClaimsPrincipal user, WorkspaceService service, CancellationToken ct) =>
                (await service.SetMemberAsync(user.ToActor(), name, userId, request.DisplayName, request.Role, ct)).ToHttp())
            .WithName("SetWorkspaceMember").WithSummary("Adds a member or changes a member's role (workspace administrators).")
            .Produces(StatusCodes.Status204NoContent).ProducesValidationProblem();

        group.MapDelete("/{name}/members/{userId}", async (string name, string userId, ClaimsPrincipal user, WorkspaceService service, CancellationToken ct) =>
                (await service.RemoveMemberAsync(user.ToActor(), name, userId, ct)).ToHttp())
            .WithName("RemoveWorkspaceMember").Produces(StatusCodes.Status204NoContent).ProducesProblem(StatusCodes.Status409Conflict);

        return app;
    }
}
