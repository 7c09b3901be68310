using System.Security.Claims;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;
using Studio.Domain.Common;
using Studio.Infrastructure.Assets;
using Studio.Web.Security;

namespace Studio.Web.Api;

/// <summary>
/// What the data asset and model APIs share: the read routes (list, get, versions, files, download), remove and archive,
/// and reading a create request — JSON, CLI v2 YAML, or multipart/form-data with a part <c>meta</c> (JSON) or <c>yaml</c>
/// and a part <c>file</c> (one file, or a zip of a folder; for a YAML, the zip of the files beside it).
/// </summary>
public static class AssetEndpoints
{
    public const string MetaPart = "meta";
    public const string YamlPart = "yaml";
    public const string FilePart = "file";
    private const int MaxTextPartBytes = 1024 * 1024;

    internal static readonly string[] YamlTypes = ["application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml"];

    private static readonly JsonSerializerOptions StrictJson = new(JsonSerializerDefaults.Web)
    {
        AllowDuplicateProperties = false,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    /// <summary>Maps the shared routes of <typeparamref name="TCatalog"/> (resolved per request: the analyzers cannot read generic handler parameters) on <paramref name="group"/> (<c>/api/workspaces/{ws}/data</c> or <c>.../models</c>).</summary>
    public static RouteGroupBuilder MapAssetReads<TCatalog>(this RouteGroupBuilder group, string kind)
        where TCatalog : class, IAssetCatalog
    {
        static IAssetCatalog Catalog(HttpContext http) => http.RequestServices.GetRequiredService<TCatalog>();

        var what = kind == "Data" ? "data asset" : "model";
        group.MapGet("/", async (string ws, bool? archived, ClaimsPrincipal user, HttpContext http, CancellationToken ct) =>
                Ok(await Catalog(http).ListAsync(user.ToActor(), ws, archived ?? false, ct)))
            .WithName($"List{kind}").WithSummary($"The workspace's {what}s with their latest version (archived=true: also those whose every version is archived).")
            .Produces<IReadOnlyList<AssetSummary>>().ProducesProblem(StatusCodes.Status404NotFound);

        group.MapGet("/{name}", async (string ws, string name, ClaimsPrincipal user, HttpContext http, CancellationToken ct) =>
                Ok(await Catalog(http).GetAsync(user.ToActor(), ws, name, ct)))
            .WithName($"Get{kind}").WithSummary($"A {what} with every version, newest first (archived ones marked).")
            .Produces<AssetDetail>().ProducesProblem(StatusCodes.Status404NotFound);

        group.MapGet("/{name}/versions/{version}", async (string ws, string name, string version, ClaimsPrincipal user, HttpContext http, CancellationToken ct) =>
                Ok(await Catalog(http).GetVersionAsync(user.ToActor(), ws, name, version, ct)))
            .WithName($"Get{kind}Version").WithSummary($"One version of a {what} ('latest': the newest not archived).")
            .Produces<AssetVersionView>().ProducesProblem(StatusCodes.Status404NotFound);

        group.MapGet("/{name}/versions/{version}/files", async (string ws, string name, string version, ClaimsPrincipal user, HttpContext http, CancellationToken ct) =>
                Ok(await Catalog(http).FilesAsync(user.ToActor(), ws, name, version, ct)))
            .WithName($"List{kind}Files").WithSummary($"The files of an uploaded {what} version (409 for one whose files are on a datastore).")
            .Produces<IReadOnlyList<AssetFile>>().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);

        group.MapGet("/{name}/versions/{version}/download", async (string ws, string name, string version, string? path, ClaimsPrincipal user, HttpContext http, CancellationToken ct) =>
            {
                var result = await Catalog(http).OpenAsync(user.ToActor(), ws, name, version, path, ct);
                return !result.IsSuccess
                    ? result.Errors.ToProblem()
                    : path is null
                        ? Results.Stream(result.Value, "application/zip", $"{name}-{version}.zip")
                        : Results.Stream(result.Value, "application/octet-stream", path.Split('/')[^1]);
            })
            .WithName($"Download{kind}").WithSummary($"An uploaded {what} version's files as a zip, or one file (?path=).")
            .Produces(StatusCodes.Status200OK, contentType: "application/octet-stream").ProducesProblem(StatusCodes.Status404NotFound);

        group.MapDelete("/{name}/versions/{version}", async (string ws, string name, string version, ClaimsPrincipal user, HttpContext http, CancellationToken ct) =>
            {
                var result = await Catalog(http).RemoveAsync(user.ToActor(), ws, name, version, ct);
                return result.IsSuccess
                    ? Results.Ok(new AssetRemovedResponse(result.Value, result.Value
                        ? $"Version {version} was used by a job, so it is archived (hidden from lists and @latest) rather than deleted."
                        : $"Version {version} is deleted."))
                    : result.Errors.ToProblem();
            })
            .WithName($"Remove{kind}Version").WithSummary($"Deletes a {what} version, or archives it when a job used it.")
            .Produces<AssetRemovedResponse>().ProducesProblem(StatusCodes.Status404NotFound);

        group.MapPost("/{name}/versions/{version}/archive", async (string ws, string name, string version, ClaimsPrincipal user, HttpContext http, CancellationToken ct) =>
                (await Catalog(http).ArchiveAsync(user.ToActor(), ws, name, version, true, ct)).ToHttp())
            .WithName($"Archive{kind}Version").WithSummary($"Hides a {what} version from lists and @latest (it still resolves by its number).")
            .Produces(StatusCodes.Status204NoContent).ProducesProblem(StatusCodes.Status404NotFound);

        group.MapPost("/{name}/versions/{version}/restore", async (string ws, string name, string version, ClaimsPrincipal user, HttpContext http, CancellationToken ct) =>
                (await Catalog(http).ArchiveAsync(user.ToActor(), ws, name, version, false, ct)).ToHttp())
            .WithName($"Restore{kind}Version").WithSummary($"Shows an archived {what} version again.")
            .Produces(StatusCodes.Status204NoContent).ProducesProblem(StatusCodes.Status404NotFound);
        return group;
    }

    /// <summary>201 with the created version, or problem details.</summary>
    public static IResult Created(string ws, string segment, Result<AssetVersionView> result, IReadOnlyList<Studio.Domain.Jobs.YamlIssue> unsupported) =>
        result.IsSuccess
            ? Results.Created($"/api/workspaces/{Uri.EscapeDataString(ws)}/{segment}/{Uri.EscapeDataString(result.Value.Name)}/versions/{Uri.EscapeDataString(result.Value.Version)}", new AssetCreatedResponse(result.Value, unsupported))
            : result.Errors.ToProblem();

    /// <summary>
    /// Reads a create request into its parts: the JSON body or <c>meta</c> part, the YAML body or <c>yaml</c> part, and the
    /// <c>file</c> part spooled to <paramref name="file"/>. Errors are field errors.
    /// </summary>
    public static async Task<Result<AssetRequest>> ReadAsync(HttpRequest request, Stream file, CancellationToken ct)
    {
        if (request.HasFormContentType && request.ContentType!.StartsWith("multipart/", StringComparison.OrdinalIgnoreCase))
        {
            return await ReadMultipartAsync(request, file, ct);
        }

        var text = await ReadTextAsync(request.Body, ct);
        if (text is null)
        {
            return Error.Validation("(body)", $"The body is larger than {MaxTextPartBytes / 1024} KiB or not valid UTF-8 text.");
        }

        return IsYaml(request.ContentType) ? new AssetRequest(null, text, null) : Json(text, "(body)");
    }

    private static async Task<Result<AssetRequest>> ReadMultipartAsync(HttpRequest request, Stream file, CancellationToken ct)
    {
        var boundary = HeaderUtilities.RemoveQuotes(MediaTypeHeaderValue.Parse(request.ContentType).Boundary).Value;
        if (string.IsNullOrEmpty(boundary))
        {
            return Error.Validation("(body)", "The multipart body has no boundary.");
        }

        var reader = new MultipartReader(boundary, request.Body) { HeadersLengthLimit = 16 * 1024 };
        CreateAssetBody? meta = null;
        string? yaml = null;
        string? fileName = null;
        while (await reader.ReadNextSectionAsync(ct) is { } section)
        {
            var disposition = section.GetContentDispositionHeader();
            var part = disposition?.Name.Value?.Trim('"');
            switch (part)
            {
                case MetaPart or YamlPart when meta is null && yaml is null:
                    var text = await ReadTextAsync(section.Body, ct);
                    if (text is null)
                    {
                        return Error.Validation(part, $"The {part} part is larger than {MaxTextPartBytes / 1024} KiB or not valid UTF-8.");
                    }

                    if (part == YamlPart)
                    {
                        yaml = text;
                        break;
                    }

                    var json = Json(text, MetaPart);
                    if (!json.IsSuccess)
                    {
                        return json;
                    }

                    meta = json.Value.Body;
                    break;
                case FilePart when fileName is null:
                    await section.Body.CopyToAsync(file, ct);
                    fileName = disposition!.FileName.Value?.Trim('"') is { Length: > 0 } given ? given : disposition.FileNameStar.Value ?? "data";
                    break;
                default:
                    return Error.Validation(part ?? "(body)", $"Unexpected part '{part}': send one part '{MetaPart}' (JSON) or '{YamlPart}' (the YAML), and one part '{FilePart}' (a file, or a zip of a folder).");
            }
        }

        if (meta is null && yaml is null)
        {
            return Error.Validation(MetaPart, $"The multipart body has no '{MetaPart}' part (JSON: name, type, ...) or '{YamlPart}' part.");
        }

        file.Position = 0;
        return new AssetRequest(meta, yaml, fileName);
    }

    private static Result<AssetRequest> Json(string text, string field)
    {
        try
        {
            return JsonSerializer.Deserialize<CreateAssetBody>(text, StrictJson) is { } body
                ? new AssetRequest(body, null, null)
                : Error.Validation(field, "The body is empty.");
        }
        catch (JsonException e)
        {
            return Error.Validation(e.Path is { Length: > 2 } path ? path.TrimStart('$', '.') : field, $"The JSON cannot be read: {e.Message.Split(" Path:", 2)[0]}");
        }
    }

    private static bool IsYaml(string? contentType) => contentType is { } type && YamlTypes.Any(y => type.StartsWith(y, StringComparison.OrdinalIgnoreCase));

    private static async Task<string?> ReadTextAsync(Stream body, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > MaxTextPartBytes)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
    }

    private static IResult Ok<T>(Result<T> result) => result.IsSuccess ? Results.Ok(result.Value) : result.Errors.ToProblem();
}

/// <summary>A create request as read: the JSON fields, or the YAML; and the uploaded file's name when a file part came (its content is in the spool).</summary>
public sealed record AssetRequest(CreateAssetBody? Body, string? Yaml, string? FileName);
