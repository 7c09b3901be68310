using System.Security.Claims;
using Studio.Infrastructure.Datastores;
using Studio.Web.Security;

namespace Studio.Web.Api;

/// <summary>
/// REST API for a workspace's datastores (<c>/api/workspaces/{ws}/datastores</c>): members list and read them;
/// administrators create, change, test and delete them. Secrets go in, never out.
/// </summary>
public static class DatastoreEndpoints
{
    public static IEndpointRouteBuilder MapDatastoreApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/workspaces/{ws}/datastores").WithTags("Datastores").RequireAuthorization(Policies.SignedIn);

        group.MapGet("/", async (string ws, ClaimsPrincipal user, DatastoreService service, CancellationToken ct) =>
                (await service.ListAsync(user.ToActor(), ws, ct)) is var result && result.IsSuccess ? Results.Ok(result.Value) : result.Errors.ToProblem())
            .WithName("ListDatastores").WithSummary("The workspace's datastores, the studio's own store (workspaceblobstore) first. No secret is returned.")
            .Produces<IReadOnlyList<DatastoreView>>().ProducesProblem(StatusCodes.Status404NotFound);

        group.MapGet("/{name}", async (string ws, string name, ClaimsPrincipal user, DatastoreService service, CancellationToken ct) =>
                (await service.GetAsync(user.ToActor(), ws, name, ct)) is var result && result.IsSuccess ? Results.Ok(result.Value) : result.Errors.ToProblem())
            .WithName("GetDatastore").WithSummary("One datastore (whether a secret is stored, never the secret).")
            .Produces<DatastoreView>().ProducesProblem(StatusCodes.Status404NotFound);

        group.MapPost("/", async (string ws, DatastoreBody body, ClaimsPrincipal user, DatastoreService service, CancellationToken ct) =>
            {
                var result = await service.CreateAsync(user.ToActor(), ws, body.ToInput(), ct);
                return result.IsSuccess
                    ? Results.Created($"/api/workspaces/{Uri.EscapeDataString(ws)}/datastores/{Uri.EscapeDataString(result.Value.Name)}", result.Value)
                    : result.Errors.ToProblem();
            })
            .RequireAuthorization(Policies.Administrator)
            .WithName("CreateDatastore").WithSummary("Creates a datastore (administrators): Azure Blob (account key, SAS or identity), S3 (access key) or https (read-only).")
            .Produces<DatastoreView>(StatusCodes.Status201Created).ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict);

        group.MapPut("/{name}", async (string ws, string name, DatastoreBody body, ClaimsPrincipal user, DatastoreService service, CancellationToken ct) =>
                (await service.UpdateAsync(user.ToActor(), ws, name, body.ToInput(), ct)) is var result && result.IsSuccess ? Results.Ok(result.Value) : result.Errors.ToProblem())
            .RequireAuthorization(Policies.Administrator)
            .WithName("UpdateDatastore").WithSummary("Changes a datastore's settings (administrators); without credentials the stored secret is kept.")
            .Produces<DatastoreView>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);

        group.MapPost("/test-connection", async (string ws, DatastoreBody body, ClaimsPrincipal user, DatastoreService service, CancellationToken ct) =>
                (await service.TestAsync(user.ToActor(), ws, body.ToInput(), ct)) is var result && result.IsSuccess ? Results.Ok(result.Value) : result.Errors.ToProblem())
            .RequireAuthorization(Policies.Administrator)
            .WithName("TestDatastoreSettings").WithSummary("Tries datastore settings before saving them; names the cause of a failure (unknown account or bucket, wrong key, expired SAS, unreachable host).")
            .Produces<DatastoreConnectionResult>().ProducesValidationProblem();

        group.MapPost("/{name}/test-connection", async (string ws, string name, ClaimsPrincipal user, DatastoreService service, CancellationToken ct) =>
                (await service.TestAsync(user.ToActor(), ws, name, ct)) is var result && result.IsSuccess ? Results.Ok(result.Value) : result.Errors.ToProblem())
            .RequireAuthorization(Policies.Administrator)
            .WithName("TestDatastore").WithSummary("Tries a saved datastore with its stored secret.")
            .Produces<DatastoreConnectionResult>().ProducesProblem(StatusCodes.Status404NotFound);

        group.MapDelete("/{name}", async (string ws, string name, ClaimsPrincipal user, DatastoreService service, CancellationToken ct) =>
                (await service.DeleteAsync(user.ToActor(), ws, name, ct)).ToHttp())
            .RequireAuthorization(Policies.Administrator)
            .WithName("DeleteDatastore").WithSummary("Deletes a datastore (administrators); refused (409) while an unfinished job uses it.")
            .Produces(StatusCodes.Status204NoContent).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);

        return app;
    }
}
