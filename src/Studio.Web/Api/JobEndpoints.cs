using System.Globalization;
using System.Security.Claims;
using System.Text;
using System.Text.Json;
using Studio.Domain.Common;
using Studio.Domain.Jobs;
using Studio.Infrastructure.Jobs;
using Studio.Infrastructure.Workspaces;
using Studio.Web.Model;
using Studio.Web.Security;

namespace Studio.Web.Api;

/// <summary>
/// REST API for training jobs (<c>/api/workspaces/{ws}/jobs</c>): submit as JSON or as Azure ML CLI v2 YAML
/// (<c>Content-Type: application/yaml</c>), import, pre-flight, manifest preview, list with filters, detail, cancel (one
/// or many), logs (<c>?follow=true</c> streams), events and applied manifests.
/// </summary>
public static class JobEndpoints
{
    // Every YAML media type is listed where YAML is taken: a route's Accepts metadata answers 415 to any type it does not list.
    internal static readonly string[] YamlTypes = ["application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml"];

    // A job body is read strictly: a key given twice or a field the job does not have is refused, never dropped.
    private static readonly JsonSerializerOptions StrictJson = new(JsonSerializerDefaults.Web)
    {
        AllowDuplicateProperties = false,
        UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
    };

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static IEndpointRouteBuilder MapJobApi(this IEndpointRouteBuilder app)
    {
        var jobs = app.MapGroup("/api/workspaces/{workspace}/jobs").WithTags("Jobs").RequireAuthorization(Policies.SignedIn);

        jobs.MapGet("/", async (string workspace, string? status, string? compute, string? submitter, string? experiment, string? text, JobSort? sort, bool? descending, int? page, int? pageSize, ClaimsPrincipal user, JobQueryService service, CancellationToken ct) =>
            {
                var states = JobListQuery.ParseStates(status, out var unknown);
                if (unknown.Count > 0)
                {
                    return Results.ValidationProblem(
                        new Dictionary<string, string[]> { ["status"] = [$"Unknown status '{unknown[0]}'; use one or more of {string.Join(", ", Enum.GetNames<JobState>())}, separated by commas."] });
                }

                var query = new JobQuery(states, compute, submitter, experiment, text, sort ?? JobSort.Created, descending ?? true, page ?? 1, pageSize ?? 25);
                var result = await service.ListAsync(user.ToActor(), workspace, query, ct);
                return result.IsSuccess ? Results.Ok(result.Value) : result.Errors.ToProblem();
            })
            .WithName("ListJobs").WithSummary("The workspace's jobs: filter by status (one or more, comma-separated: status=Queued,Running), compute, submitter, experiment or text; sort; page.")
            .Produces<JobPage<JobSummary>>().ProducesProblem(StatusCodes.Status404NotFound);

        jobs.MapPost("/", async (string workspace, HttpContext http, ClaimsPrincipal user, JobSubmissionService service, JobCodeSubmission code, CancellationToken ct) =>
            {
                if (JobCodeEndpoints.IsMultipart(http.Request))
                {
                    var query = http.Request.Query;
                    return await JobCodeEndpoints.SubmitAsync(
                        workspace,
                        http,
                        code,
                        (text, type) => YamlTypes.Any(y => type.StartsWith(y, StringComparison.OrdinalIgnoreCase))
                            ? service.ImportYaml(text, query["compute"].FirstOrDefault(), query["instanceType"].FirstOrDefault())
                            : JobCodeEndpoints.ReadJson(text, StrictJson),
                        ct);
                }

                var requestId = http.Request.Headers["Idempotency-Key"].FirstOrDefault();
                Result<JobSubmitted> result;
                if (IsYaml(http.Request))
                {
                    var query = http.Request.Query;
                    result = await service.SubmitYamlAsync(user.ToActor(), workspace, await ReadTextAsync(http, ct), query["compute"].FirstOrDefault(), query["instanceType"].FirstOrDefault(), requestId, ct);
                }
                else
                {
                    var read = await ReadSpecAsync(http, service, ct);
                    if (!read.IsSuccess)
                    {
                        return read.Errors.ToProblem();
                    }

                    result = await service.SubmitAsync(user.ToActor(), workspace, read.Value.Spec, requestId ?? read.Value.RequestId, ct);
                }

                if (!result.IsSuccess)
                {
                    return result.Errors.ToProblem();
                }

                var url = $"/api/workspaces/{Uri.EscapeDataString(workspace)}/jobs/{result.Value.Name}";
                var response = new JobSubmitResponse(result.Value.Name, result.Value.State, result.Value.Created, url, result.Value.Unsupported);
                return result.Value.Created ? Results.Created(url, response) : Results.Ok(response);
            })
            .WithName("SubmitJob")
            .WithSummary("Submits a job: JSON (the form's fields) or CLI v2 command job YAML with Content-Type application/yaml (?compute= and ?instanceType= override the file), or multipart/form-data with a part 'job' (YAML or JSON) and a part 'code' (a zip of the files beside the YAML: code: src takes its src folder). Idempotency-Key makes retries return the same job.")
            .Accepts<JobSubmitBody>("application/json", [.. YamlTypes, "multipart/form-data"])
            .Produces<JobSubmitResponse>(StatusCodes.Status201Created).Produces<JobSubmitResponse>().ProducesValidationProblem().ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity).ProducesProblem(StatusCodes.Status409Conflict);

        jobs.MapPost("/import", async (string workspace, HttpContext http, ClaimsPrincipal user, WorkspaceService workspaces, JobSubmissionService service, CancellationToken ct) =>
            {
                // Reads nothing of the workspace, but a workspace the caller cannot see does not exist for them.
                if (await workspaces.GetAsync(user.ToActor(), workspace, ct) is { IsSuccess: false } hidden)
                {
                    return hidden.Errors.ToProblem();
                }

                var yaml = await ReadTextAsync(http, ct);
                var result = service.ImportYaml(yaml);
                return result.IsSuccess ? Results.Ok(result.Value) : result.Errors.ToProblem();
            })
            .WithName("ImportJobYaml").WithSummary("Reads a CLI v2 command job YAML into the form's fields; lists unsupported keys by path. Submits nothing.")
            .Accepts<string>(YamlTypes[0], YamlTypes[1..])
            .Produces<JobImport>().ProducesValidationProblem();

        jobs.MapPost("/preflight", async (string workspace, HttpContext http, ClaimsPrincipal user, JobSubmissionService service, CancellationToken ct) =>
            {
                var read = await ReadSpecAsync(http, service, ct);
                if (!read.IsSuccess)
                {
                    return read.Errors.ToProblem();
                }

                var result = await service.PreflightAsync(user.ToActor(), workspace, read.Value.Spec, ct);
                return result.IsSuccess ? Results.Ok(result.Value) : result.Errors.ToProblem();
            })
            .WithName("PreflightJob").WithSummary("Fits now / will queue / never fits (with the closest instance type), quota headroom and image sanity; changes nothing.")
            .Accepts<JobSubmitBody>("application/json", YamlTypes)
            .Produces<JobPreflightReport>().ProducesValidationProblem();

        jobs.MapPost("/preview", async (string workspace, HttpContext http, ClaimsPrincipal user, JobSubmissionService service, CancellationToken ct) =>
            {
                var read = await ReadSpecAsync(http, service, ct);
                if (!read.IsSuccess)
                {
                    return read.Errors.ToProblem();
                }

                var result = await service.PreviewManifestsAsync(user.ToActor(), workspace, read.Value.Spec, ct);
                return result.IsSuccess ? Results.Text(result.Value, "application/yaml", Encoding.UTF8) : result.Errors.ToProblem();
            })
            .WithName("PreviewJobManifests").WithSummary("The YAML of exactly the Kubernetes objects a submit would apply.")
            .Accepts<JobSubmitBody>("application/json", YamlTypes)
            .Produces<string>(contentType: "application/yaml").ProducesValidationProblem();

        jobs.MapPost("/cancel", async (string workspace, CancelJobsBody body, ClaimsPrincipal user, JobCancellationService service, CancellationToken ct) =>
            {
                var result = await service.CancelManyAsync(user.ToActor(), workspace, body.Names ?? [], ct);
                return result.IsSuccess ? Results.Ok(result.Value) : result.Errors.ToProblem();
            })
            .WithName("CancelJobs").WithSummary("Cancels several jobs; each answers for itself.")
            .Produces<IReadOnlyList<JobCancelResult>>().ProducesProblem(StatusCodes.Status403Forbidden);

        jobs.MapGet("/{name}", async (string workspace, string name, ClaimsPrincipal user, JobQueryService service, CancellationToken ct) =>
            {
                var result = await service.GetAsync(user.ToActor(), workspace, name, ct);
                return result.IsSuccess ? Results.Ok(result.Value) : result.Errors.ToProblem();
            })
            .WithName("GetJob").WithSummary("A job: spec, timeline, pods by rank, events, explainer, resources and applied manifests (from the record when the cluster is gone).")
            .Produces<JobDetail>().ProducesProblem(StatusCodes.Status404NotFound);

        jobs.MapJobCodeApi();
        jobs.MapJobOutputApi();

        jobs.MapPost("/{name}/cancel", async (string workspace, string name, ClaimsPrincipal user, JobCancellationService service, CancellationToken ct) =>
            {
                var result = await service.CancelAsync(user.ToActor(), workspace, name, ct);
                return result.IsSuccess ? Results.Ok(result.Value) : result.Errors.ToProblem();
            })
            .WithName("CancelJob").WithSummary("Cancels a job: keeps the log tails, deletes its pods, records Canceled.")
            .Produces<JobSummary>().ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status404NotFound);

        jobs.MapGet("/{name}/logs", async (string workspace, string name, string? pod, int? tail, bool? follow, string? format, HttpContext http, ClaimsPrincipal user, JobLogService service) =>
            {
                var ct = http.RequestAborted;
                var json = string.Equals(format, "json", StringComparison.OrdinalIgnoreCase);
                if (follow != true)
                {
                    var result = await service.LogsAsync(user.ToActor(), workspace, name, pod, tail, ct);
                    if (!result.IsSuccess)
                    {
                        return result.Errors.ToProblem();
                    }

                    return json ? Results.Ok(result.Value) : Results.Text(string.Concat(result.Value.Select(Format)), "text/plain", Encoding.UTF8);
                }

                var stream = await service.FollowLogsAsync(user.ToActor(), workspace, name, pod, tail, ct);
                if (!stream.IsSuccess)
                {
                    return stream.Errors.ToProblem();
                }

                return Results.Stream(
                    async body =>
                    {
                        try
                        {
                            await foreach (var line in stream.Value.WithCancellation(ct))
                            {
                                var bytes = json ? Encoding.UTF8.GetBytes(JsonSerializer.Serialize(line, JsonSerializerOptions.Web) + "\n") : Encoding.UTF8.GetBytes(Format(line));
                                await body.WriteAsync(bytes, ct);
                                await body.FlushAsync(ct);
                            }
                        }
                        catch (OperationCanceledException)
                        {
                        }
                    },
                    json ? "application/x-ndjson" : "text/plain; charset=utf-8");
            })
            .WithName("JobLogs")
            .WithSummary("Logs of one pod (?pod=) or all ranks merged by time, last ?tail= lines per pod; ?follow=true streams until the job ends; ?format=json gives JSON (NDJSON when following).")
            .Produces<string>(contentType: "text/plain").ProducesProblem(StatusCodes.Status404NotFound);

        jobs.MapGet("/{name}/events", async (string workspace, string name, ClaimsPrincipal user, JobQueryService service, CancellationToken ct) =>
            {
                var result = await service.EventsAsync(user.ToActor(), workspace, name, ct);
                return result.IsSuccess ? Results.Ok(result.Value) : result.Errors.ToProblem();
            })
            .WithName("JobEvents").WithSummary("Events of the job and its pods, recorded and live, newest first.")
            .Produces<IReadOnlyList<JobEventView>>().ProducesProblem(StatusCodes.Status404NotFound);

        jobs.MapGet("/{name}/manifests", async (string workspace, string name, ClaimsPrincipal user, JobQueryService service, CancellationToken ct) =>
            {
                var result = await service.ManifestsAsync(user.ToActor(), workspace, name, ct);
                return result.IsSuccess ? Results.Text(result.Value, "application/yaml", Encoding.UTF8) : result.Errors.ToProblem();
            })
            .WithName("JobManifests").WithSummary("The Kubernetes objects applied for the job, as YAML.")
            .Produces<string>(contentType: "application/yaml").ProducesProblem(StatusCodes.Status404NotFound);

        return app;
    }

    /// <summary>"2026-11-28T23:40:00.1234567Z [rank 1] text" — one line of the text log format.</summary>
    public static string Format(JobLogLine line) =>
        string.Create(CultureInfo.InvariantCulture, $"{(line.Timestamp is { } at ? at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture) + " " : string.Empty)}[rank {line.Rank}] {line.Text}\n");

    private static bool IsYaml(HttpRequest request) =>
        request.ContentType is { } type && YamlTypes.Any(y => type.StartsWith(y, StringComparison.OrdinalIgnoreCase));

    /// <summary>The body as text; invalid UTF-8 is a 400 (through <see cref="BadRequestExceptionHandler"/>), never silently replaced.</summary>
    internal static async Task<string> ReadTextAsync(HttpContext http, CancellationToken ct)
    {
        using var reader = new StreamReader(http.Request.Body, StrictUtf8);
        try
        {
            return await reader.ReadToEndAsync(ct);
        }
        catch (DecoderFallbackException e)
        {
            throw new BadHttpRequestException($"The body is not valid UTF-8 text (invalid bytes at index {e.Index}); save the file as UTF-8.", StatusCodes.Status400BadRequest, e);
        }
    }

    private static async Task<Result<(JobSpec Spec, IReadOnlyList<YamlIssue> Issues, string? RequestId)>> ReadSpecAsync(HttpContext http, JobSubmissionService service, CancellationToken ct)
    {
        if (IsYaml(http.Request))
        {
            var query = http.Request.Query;
            var imported = service.ImportYaml(await ReadTextAsync(http, ct), query["compute"].FirstOrDefault(), query["instanceType"].FirstOrDefault());
            return imported.IsSuccess
                ? (imported.Value.Spec, imported.Value.Unsupported, null)
                : Result<(JobSpec, IReadOnlyList<YamlIssue>, string?)>.Failure(imported.Errors);
        }

        if (http.Request.HasJsonContentType())
        {
            try
            {
                var body = await http.Request.ReadFromJsonAsync<JobSubmitBody>(StrictJson, ct);
                if (body is null)
                {
                    return Error.Validation("(body)", "The body is empty; send the job as JSON or as CLI v2 YAML (Content-Type: application/yaml).");
                }

                if (body.Distribution?.TypeError() is { } distributionError)
                {
                    return distributionError;
                }

                return (body.ToSpec(), Array.Empty<YamlIssue>(), body.RequestId);
            }
            catch (JsonException e)
            {
                return Error.Validation(e.Path is { Length: > 2 } path ? path.TrimStart('$', '.') : "(body)", $"The JSON cannot be read{(e.LineNumber is { } line ? $" at line {line + 1}" : string.Empty)}: {(e.InnerException is { } cause and not JsonException ? cause.Message : e.Message.Split(" Path:", 2)[0])}");
            }
        }

        return Error.Validation("(body)", $"Send the job as JSON (Content-Type: application/json) or as CLI v2 YAML (Content-Type: application/yaml), not '{http.Request.ContentType ?? "(none)"}'.");
    }
}
