using System.Security.Claims;
using Studio.Domain.Artifacts;
using Studio.Domain.Common;
using Studio.Domain.Jobs;
using Studio.Infrastructure.Assets;
using Studio.Web.Security;

namespace Studio.Web.Api;

/// <summary>
/// REST API for a workspace's data assets (<c>/api/workspaces/{ws}/data</c>): the shared read routes
/// (<see cref="AssetEndpoints"/>) and create — from a datastore path or https URL (JSON), a <c>data.schema.json</c> YAML,
/// or an upload (multipart: <c>meta</c> or <c>yaml</c>, and <c>file</c>).
/// </summary>
public static class DataAssetEndpoints
{
    public static IEndpointRouteBuilder MapDataAssetApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/workspaces/{ws}/data").WithTags("Data assets").RequireAuthorization(Policies.SignedIn);
        group.MapAssetReads<DataAssetService>("Data");

        group.MapPost("/", async (string ws, HttpContext http, ClaimsPrincipal user, DataAssetService service, CancellationToken ct) =>
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
                return AssetEndpoints.Created(ws, "data", await service.CreateAsync(user.ToActor(), ws, name, draft, upload, ct), unsupported);
            })
            .WithName("CreateData")
            .WithSummary("Creates a data asset version (data scientists): JSON {name, version?, type: uri_file|uri_folder, path: azureml://datastores/NAME/paths/PATH or https://..., description?, tags?}; a data.schema.json YAML (application/yaml); or multipart/form-data with a part 'meta' (that JSON without path) or 'yaml' and a part 'file' (one file; for uri_folder a zip of the folder; with a YAML, a zip of the files beside it). Without a version the next number is used; versions are immutable; an upload over Studio:Artifacts:MaxSnapshotBytes is 413.")
            .Accepts<CreateAssetBody>("application/json", [.. AssetEndpoints.YamlTypes, "multipart/form-data"])
            .Produces<AssetCreatedResponse>(StatusCodes.Status201Created).ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status413PayloadTooLarge);
        return app;
    }

    private static Result<(string? Name, DataAssetDraft Draft, AssetUpload? Upload, IReadOnlyList<YamlIssue> Unsupported)> Request(AssetRequest request, Stream spool)
    {
        if (request.Yaml is { } yaml)
        {
            var imported = AssetYaml.ReadData(yaml);
            if (!imported.IsSuccess)
            {
                return Result<(string?, DataAssetDraft, AssetUpload?, IReadOnlyList<YamlIssue>)>.Failure(imported.Errors);
            }

            var (name, draft, ignored) = imported.Value;
            var upload = AssetRequests.LocalUpload(draft.Path, request.FileName, spool);
            return upload.IsSuccess
                ? (name, draft, upload.Value, AssetRequests.Ignored(ignored, "data asset"))
                : Result<(string?, DataAssetDraft, AssetUpload?, IReadOnlyList<YamlIssue>)>.Failure(upload.Errors);
        }

        var body = request.Body!;
        if (AssetTypes.DataAssetTypeOf(body.Type ?? "uri_folder") is not { } type)
        {
            return Error.Validation("type", $"Data asset type '{body.Type}' is not known; use uri_file or uri_folder.");
        }

        var fields = new DataAssetDraft(type, body.Version, body.Path, null, body.Description, body.Tags);
        if (request.FileName is { } fileName)
        {
            var isZip = type == DataAssetType.UriFolder && fileName.EndsWith(".zip", StringComparison.OrdinalIgnoreCase);
            return (body.Name, fields, new AssetUpload(spool, fileName, isZip), []);
        }

        return string.IsNullOrWhiteSpace(body.Path)
            ? Error.Validation("path", "Give where the data is (azureml://datastores/NAME/paths/PATH or an https URL), or upload it (multipart: a part 'meta' and a part 'file').")
            : (body.Name, fields, null, []);
    }
}
