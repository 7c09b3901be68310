using Studio.Domain.Artifacts;
using Studio.Domain.Common;
using Studio.Domain.Workspaces;
using Studio.Infrastructure.Jobs;

namespace Studio.Infrastructure.Assets;

/// <summary>What to register a job output as: <c>data</c> or <c>model</c>, its name, optional version, model type and description.</summary>
public sealed record JobOutputRegistrationRequest(string? Asset, string? Name, string? Version = null, string? Type = null, string? Description = null);

/// <summary>
/// Registers a job's output as a data asset or a model: an immutable new version whose path is the output's datastore
/// folder (or its file, for a <c>uri_file</c> output), and for a model the job and output it came from (lineage). Refused
/// with 409 while the job has not finished and 422 when its outputs are incomplete.
/// </summary>
public sealed class JobOutputRegistration(JobAccess access, JobOutputs outputs, DataAssetService data, ModelService models)
{
    public async Task<Result<AssetVersionView>> RegisterAsync(Actor actor, string workspaceName, string job, string output, JobOutputRegistrationRequest request, CancellationToken cancellationToken)
    {
        // Registering writes to the workspace: data scientists and administrators (a reader is refused before anything is read).
        var allowed = await access.FindAsync(actor, workspaceName, job, WorkspaceRole.DataScientist, includeChildren: false, cancellationToken).ConfigureAwait(false);
        if (!allowed.IsSuccess)
        {
            return Result<AssetVersionView>.Failure(allowed.Errors);
        }

        var opened = await outputs.OutputAsync(actor, workspaceName, job, output, cancellationToken).ConfigureAwait(false);
        if (!opened.IsSuccess)
        {
            return Result<AssetVersionView>.Failure(opened.Errors);
        }

        var (view, store, folder) = opened.Value;
        if (view.State == JobOutputView.Pending)
        {
            return Error.Conflict("job_not_finished", $"Job '{job}' has not finished: register its output once it has ended and the output is uploaded.");
        }

        if (view.State == JobOutputView.Incomplete)
        {
            return Error.Unprocessable("outputs_incomplete", "output", view.Reason ?? "The output's upload did not finish.");
        }

        var path = view.Location;
        if (view.Type == "uri_file")
        {
            var files = store is null ? [] : await store.ListAsync(folder, 2, cancellationToken).ConfigureAwait(false);
            if (files.Count != 1)
            {
                return Error.Unprocessable("output_not_a_file", "output", $"Output '{output}' is a uri_file but holds {files.Count} files.");
            }

            path = ArtifactUri.Parse(view.Location, "output").Value is { Datastore: { } datastore } ? ArtifactUri.ForDatastore(datastore, files[0].Path).ToString() : path;
        }

        var description = request.Description ?? $"Output '{output}' of job '{job}'.";
        switch (request.Asset?.Trim().ToLowerInvariant())
        {
            case "model":
                var type = request.Type is null ? ModelType.CustomModel : AssetTypes.ModelTypeOf(request.Type);
                if (type is null)
                {
                    return Error.Validation("type", $"Model type '{request.Type}' is not known; use custom_model, mlflow_model or triton_model.");
                }

                return await models.CreateAsync(actor, workspaceName, request.Name, new ModelDraft(type.Value, request.Version, path, Lineage: new ModelLineage(job, output), Description: description), null, cancellationToken).ConfigureAwait(false);
            case "data":
                var dataType = view.Type == "uri_file" ? DataAssetType.UriFile : DataAssetType.UriFolder;
                return await data.CreateAsync(actor, workspaceName, request.Name, new DataAssetDraft(dataType, request.Version, path, Description: description), null, cancellationToken).ConfigureAwait(false);
            default:
                return Error.Validation("asset", "Register the output as 'data' (a data asset) or 'model'.");
        }
    }
}
