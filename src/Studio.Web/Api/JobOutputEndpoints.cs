using System.Security.Claims;
using Studio.Infrastructure.Assets;
using Studio.Infrastructure.Jobs;
using Studio.Web.Security;

namespace Studio.Web.Api;

/// <summary>
/// A job's inputs (<c>GET .../jobs/{name}/inputs</c>: sources, modes, where each is in the pod, fetched or not) and its data outputs, read through the studio (members of the workspace; another workspace's job is 404):
/// <c>GET .../jobs/{name}/outputs</c> lists them with their state (pending, complete, or incomplete and why),
/// <c>.../outputs/{output}</c> lists an output's files, <c>.../outputs/{output}/files/{path}</c> downloads one and
/// <c>.../outputs/{output}/zip</c> the whole output.
/// </summary>
public static class JobOutputEndpoints
{
    public static RouteGroupBuilder MapJobOutputApi(this RouteGroupBuilder jobs)
    {
        jobs.MapGet("/{name}/inputs", async (string workspace, string name, ClaimsPrincipal user, JobInputs service, CancellationToken ct) =>
            {
                var result = await service.ListAsync(user.ToActor(), workspace, name, ct);
                return result.IsSuccess ? Results.Ok(result.Value) : result.Errors.ToProblem();
            })
            .WithName("ListJobInputs").WithSummary("The job's inputs: each data input's source, the mode asked and used (and why they differ), its path in the pod, size and file count when known, and whether it was fetched; literal inputs as values.")
            .Produces<IReadOnlyList<JobInputView>>().ProducesProblem(StatusCodes.Status404NotFound);

        jobs.MapGet("/{name}/outputs", async (string workspace, string name, ClaimsPrincipal user, JobOutputs service, CancellationToken ct) =>
            {
                var result = await service.ListAsync(user.ToActor(), workspace, name, ct);
                return result.IsSuccess ? Results.Ok(result.Value) : result.Errors.ToProblem();
            })
            .WithName("ListJobOutputs").WithSummary("The job's data outputs: where each is, how it left the pod, and its state (pending, complete, or incomplete with the reason).")
            .Produces<IReadOnlyList<JobOutputView>>().ProducesProblem(StatusCodes.Status404NotFound);

        jobs.MapGet("/{name}/outputs/{output}", async (string workspace, string name, string output, ClaimsPrincipal user, JobOutputs service, CancellationToken ct) =>
            {
                var result = await service.FilesAsync(user.ToActor(), workspace, name, output, ct);
                return result.IsSuccess ? Results.Ok(result.Value) : result.Errors.ToProblem();
            })
            .WithName("GetJobOutput").WithSummary("One output of the job and its files (paths relative to the output's folder).")
            .Produces<JobOutputFiles>().ProducesProblem(StatusCodes.Status404NotFound);

        jobs.MapGet("/{name}/outputs/{output}/files/{**path}", async (string workspace, string name, string output, string? path, ClaimsPrincipal user, JobOutputs service, CancellationToken ct) =>
            {
                var result = await service.OpenAsync(user.ToActor(), workspace, name, output, path, ct);
                return result.IsSuccess
                    ? Results.Stream(result.Value, "application/octet-stream", (path ?? output).Split('/')[^1])
                    : result.Errors.ToProblem();
            })
            .WithName("DownloadJobOutputFile").WithSummary("One file of a job output.")
            .Produces(StatusCodes.Status200OK, contentType: "application/octet-stream").ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status400BadRequest);

        jobs.MapGet("/{name}/outputs/{output}/zip", async (string workspace, string name, string output, ClaimsPrincipal user, JobOutputs service, CancellationToken ct) =>
            {
                var actor = user.ToActor();
                var files = await service.FilesAsync(actor, workspace, name, output, ct);
                if (!files.IsSuccess)
                {
                    return files.Errors.ToProblem();
                }

                return Results.Stream(async body => await service.ZipAsync(actor, workspace, name, output, body, CancellationToken.None), "application/zip", $"{name}-{output}.zip");
            })
            .WithName("DownloadJobOutputZip").WithSummary("Every file of a job output as a zip.")
            .Produces(StatusCodes.Status200OK, contentType: "application/zip").ProducesProblem(StatusCodes.Status404NotFound);
        jobs.MapPost("/{name}/outputs/{output}/register", async (string workspace, string name, string output, JobOutputRegistrationRequest body, ClaimsPrincipal user, JobOutputRegistration service, CancellationToken ct) =>
            {
                var result = await service.RegisterAsync(user.ToActor(), workspace, name, output, body, ct);
                return result.IsSuccess ? Results.Created($"/api/workspaces/{workspace}/{(body.Asset == "model" ? "models" : "data")}/{result.Value.Name}/versions/{result.Value.Version}", result.Value) : result.Errors.ToProblem();
            })
            .WithName("RegisterJobOutput").WithSummary("Registers the output as a new version of a data asset or a model pointing at its files (a model keeps the job as its lineage); 409 while the job runs, 422 when its outputs are incomplete.")
            .Produces<Studio.Infrastructure.Assets.AssetVersionView>(StatusCodes.Status201Created).ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status422UnprocessableEntity).ProducesProblem(StatusCodes.Status404NotFound);
        return jobs;
    }
}
