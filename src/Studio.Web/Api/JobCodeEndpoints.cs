using System.Security.Claims;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;
using Studio.Domain.Common;
using Studio.Domain.Jobs;
using Studio.Infrastructure.Jobs;
using Studio.Web.Security;

namespace Studio.Web.Api;

/// <summary>
/// Jobs with code. <c>POST /api/workspaces/{ws}/jobs</c> as <c>multipart/form-data</c>: a part <c>job</c> (CLI v2 YAML,
/// or the JSON body; by its content type) and a part <c>code</c> (a zip: the files beside the YAML, or the code folder
/// itself). <c>GET .../jobs/{name}/code</c> lists the job's snapshot and <c>.../code/download</c> returns its zip.
/// </summary>
public static class JobCodeEndpoints
{
    public const string JobPart = "job";
    public const string CodePart = "code";
    private const int MaxJobPartBytes = 4 * 1024 * 1024;

    public static bool IsMultipart(HttpRequest request) => request.HasFormContentType && request.ContentType!.StartsWith("multipart/", StringComparison.OrdinalIgnoreCase);

    public static RouteGroupBuilder MapJobCodeApi(this RouteGroupBuilder jobs)
    {
        jobs.MapGet("/{name}/code", async (string workspace, string name, ClaimsPrincipal user, JobCodeQuery service, CancellationToken ct) =>
            {
                var result = await service.FilesAsync(user.ToActor(), workspace, name, ct);
                return result.IsSuccess ? Results.Ok(result.Value) : result.Errors.ToProblem();
            })
            .WithName("GetJobCode").WithSummary("The job's code snapshot: its id (tree hash), the code folder, and its files.")
            .Produces<JobCodeFiles>().ProducesProblem(StatusCodes.Status404NotFound);

        jobs.MapGet("/{name}/code/download", async (string workspace, string name, ClaimsPrincipal user, JobCodeQuery service, CancellationToken ct) =>
            {
                var result = await service.OpenAsync(user.ToActor(), workspace, name, ct);
                return result.IsSuccess
                    ? Results.Stream(result.Value.Zip, "application/zip", $"{name}-code.zip")
                    : result.Errors.ToProblem();
            })
            .WithName("DownloadJobCode").WithSummary("The job's code snapshot as a zip (409 when the job runs without code).")
            .Produces(StatusCodes.Status200OK, contentType: "application/zip").ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        return jobs;
    }

    /// <summary>Reads the multipart submit (the job part, the code part spooled to a temporary file) and submits the job with its code.</summary>
    public static async Task<IResult> SubmitAsync(string workspace, HttpContext http, JobCodeSubmission service, Func<string, string, Result<JobImport>> readJob, CancellationToken ct)
    {
        var boundary = HeaderUtilities.RemoveQuotes(MediaTypeHeaderValue.Parse(http.Request.ContentType).Boundary).Value;
        if (string.IsNullOrEmpty(boundary))
        {
            return Problem("(body)", "The multipart body has no boundary.");
        }

        var reader = new MultipartReader(boundary, http.Request.Body) { HeadersLengthLimit = 16 * 1024 };
        Result<JobImport>? job = null;
        await using var code = new FileStream(Path.GetTempFileName(), FileMode.Open, FileAccess.ReadWrite, FileShare.None, 81920, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        var hasCode = false;
        while (await reader.ReadNextSectionAsync(ct) is { } section)
        {
            var disposition = section.GetContentDispositionHeader();
            var part = disposition?.Name.Value?.Trim('"');
            switch (part)
            {
                case JobPart when job is null:
                    var text = await ReadTextAsync(section.Body, ct);
                    if (text is null)
                    {
                        return Problem(JobPart, $"The job part is larger than {MaxJobPartBytes / (1024 * 1024)} MiB or not valid UTF-8.");
                    }

                    job = readJob(text, section.ContentType ?? (disposition!.FileName.Value is { } file && (file.EndsWith(".json", StringComparison.OrdinalIgnoreCase)) ? "application/json" : "application/yaml"));
                    break;
                case CodePart when !hasCode:
                    await section.Body.CopyToAsync(code, ct);
                    hasCode = true;
                    break;
                default:
                    return Problem(part ?? "(body)", $"Unexpected part '{part}': send one part '{JobPart}' (the YAML or JSON job) and one part '{CodePart}' (a zip of the code).");
            }
        }

        if (job is null)
        {
            return Problem(JobPart, $"The multipart body has no '{JobPart}' part (the CLI v2 YAML, or the JSON job).");
        }

        if (!job.IsSuccess)
        {
            return job.Errors.ToProblem();
        }

        if (!hasCode)
        {
            return Problem(CodePart, $"The multipart body has no '{CodePart}' part (a zip of the job's code); send the job alone as YAML or JSON to run what the image holds.");
        }

        code.Position = 0;
        var requestId = http.Request.Headers["Idempotency-Key"].FirstOrDefault();
        var result = await service.SubmitAsync(http.User.ToActor(), workspace, job.Value, code, requestId, ct);
        if (!result.IsSuccess)
        {
            return result.Errors.ToProblem();
        }

        var (submitted, stored) = result.Value;
        var url = $"/api/workspaces/{Uri.EscapeDataString(workspace)}/jobs/{submitted.Name}";
        var view = stored is null ? null : new JobCodeView(stored.Snapshot.Hash.ToString(), stored.Snapshot.SizeBytes, stored.Snapshot.FileCount, stored.Reused, stored.IgnoredFiles);
        var response = new JobSubmitResponse(submitted.Name, submitted.State, submitted.Created, url, submitted.Unsupported, view);
        return submitted.Created ? Results.Created(url, response) : Results.Ok(response);
    }

    private static async Task<string?> ReadTextAsync(Stream body, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > MaxJobPartBytes)
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

    private static IResult Problem(string field, string message) => new[] { Error.Validation(field, message) }.ToProblem();

    /// <summary>The JSON job body of a multipart submit, read as strictly as a JSON submit.</summary>
    internal static Result<JobImport> ReadJson(string text, JsonSerializerOptions strict)
    {
        try
        {
            var body = JsonSerializer.Deserialize<JobSubmitBody>(text, strict);
            if (body is null)
            {
                return Error.Validation(JobPart, "The job part is empty.");
            }

            return body.Distribution?.TypeError() is { } distributionError ? distributionError : new JobImport(body.ToSpec(), []);
        }
        catch (JsonException e)
        {
            return Error.Validation(e.Path is { Length: > 2 } path ? path.TrimStart('$', '.') : JobPart, $"The JSON job cannot be read: {e.Message.Split(" Path:", 2)[0]}");
        }
    }
}
