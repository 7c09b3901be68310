using System.Security.Claims;
using Studio.Domain.Artifacts;
using Studio.Domain.Common;
using Studio.Domain.Jobs;
using Studio.Infrastructure.Assets;
using Studio.Web.Security;

namespace Studio.Web.Api;

/// <summary>
/// REST API for a workspace's models (<c>/api/workspaces/{ws}/models</c>): the shared read routes
/// (<see cref="AssetEndpoints"/>) and register — from a datastore path (JSON), a <c>model.schema.json</c> YAML, or an
/// upload (multipart: <c>meta</c> or <c>yaml</c>, and <c>file</c>).
/// </summary>
public static class ModelEndpoints
{
    public static IEndpointRouteBuilder MapModelApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/workspaces/{ws}/models").WithTags("Models").RequireAuthorization(Policies.SignedIn);
        group.MapAssetReads<ModelService>("Model");

        group.MapPost("/", async (string ws, HttpContext http, ClaimsPrincipal user, ModelService service, CancellationToken ct) =>
            {
                await using var spool = new FileStream(Path.GetTempFileName(), FileMode.Open, FileAccess.ReadWrite, FileShare.None, 81920, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
                var read = await AssetEndpoints.ReadAsync(http.Request, spool, ct);
                if (!read.IsSuccess)
                {
                    return read.Errors.ToProblem();
                }

                var request = Request(read.Value, spool);
                if (!request.IsSuccess)
                {
                    return request.Errors.ToProblem();
                }

                var (name, draft, upload, unsupported) = request.Value;
                return AssetEndpoints.Created(ws, "models", await service.CreateAsync(user.ToActor(), ws, name, draft, upload, ct), unsupported);
            })
            .WithName("CreateModel")
            .WithSummary("Registers a model version (data scientists): JSON {name, version?, type: custom_model|mlflow_model|triton_model, path: azureml://datastores/NAME/paths/PATH, description?, tags?}; a model.schema.json YAML (application/yaml); or multipart/form-data with a part 'meta' (that JSON without path) or 'yaml' and a part 'file' (one file, or a zip of the model folder; with a YAML, a zip of the files beside it). An mlflow_model upload must hold its MLmodel file. Without a version the next number is used; versions are immutable; an upload over Studio:Artifacts:MaxSnapshotBytes is 413.")
            .Accepts<CreateAssetBody>("application/json", [.. AssetEndpoints.YamlTypes, "multipart/form-data"])
            .Produces<AssetCreatedResponse>(StatusCodes.Status201Created).ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status413PayloadTooLarge);
        return app;
    }

    private static Result<(string? Name, ModelDraft Draft, AssetUpload? Upload, IReadOnlyList<YamlIssue> Unsupported)> Request(AssetRequest request, Stream spool)
    {
        if (request.Yaml is { } yaml)
        {
            var imported = AssetYaml.ReadModel(yaml);
            if (!imported.IsSuccess)
            {
                return Result<(string?, ModelDraft, AssetUpload?, IReadOnlyList<YamlIssue>)>.Failure(imported.Errors);
            }

            var (name, draft, ignored) = imported.Value;
            var upload = AssetRequests.LocalUpload(draft.Path, request.FileName, spool);
            return upload.IsSuccess
                ? (name, draft, upload.Value, AssetRequests.Ignored(ignored, "model"))
                : Result<(string?, ModelDraft, AssetUpload?, IReadOnlyList<YamlIssue>)>.Failure(upload.Errors);
        }

        var body = request.Body!;
        if (AssetTypes.ModelTypeOf(body.Type ?? "custom_model") is not { } type)
        {
            return Error.Validation("type", $"Model type '{body.Type}' is not known; use custom_model, mlflow_model or triton_model.");
        }

        var fields = new ModelDraft(type, body.Version, body.Path, null, null, body.Description, body.Tags);
        if (request.FileName is { } fileName)
        {
            return (body.Name, fields, new AssetUpload(spool, fileName, fileName.EndsWith(".zip", StringComparison.OrdinalIgnoreCase)), []);
        }

        return string.IsNullOrWhiteSpace(body.Path)
            ? Error.Validation("path", "Give where the model's files are (azureml://datastores/NAME/paths/PATH), or upload them (multipart: a part 'meta' and a part 'file').")
            : (body.Name, fields, null, []);
    }
}
