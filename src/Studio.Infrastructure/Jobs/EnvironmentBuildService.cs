using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Studio.Domain;
using Studio.Domain.Common;
using Studio.Domain.Jobs;
using Studio.Infrastructure.Environments;
using Studio.Infrastructure.Kubernetes;
using Studio.Infrastructure.Persistence;

namespace Studio.Infrastructure.Jobs;

/// <summary>
/// Builds jobs' images in the cluster. At submit (<see cref="EnsureAsync"/>) a job whose environment is a Docker context
/// finds the build of its image (one durable <see cref="EnvironmentBuild"/> per (registry, tag)): built already → it runs
/// at once; building → it waits; none or failed → the kaniko Job is applied (<see cref="EnvironmentBuildManifests"/>)
/// and it waits. A waiting job's Job is applied suspended. <see cref="ReconcileAsync"/> (run by
/// <see cref="EnvironmentBuildWatcher"/>) follows the builders — complete, failed, past
/// <see cref="EnvironmentBuildOptions.Timeout"/> or gone — keeps their pod and log tail, then resumes the waiting jobs
/// with the built image, or fails them (<c>EnvironmentFailed</c>) with the build's sentence and last log lines.
/// </summary>
public sealed partial class EnvironmentBuildService(
    IDbContextFactory<StudioDbContext> contexts,
    KubernetesClientFactory clients,
    JobApplier applier,
    JobCode code,
    IOptions<EnvironmentBuildOptions> options,
    TimeProvider clock,
    ILogger<EnvironmentBuildService> logger)
{
    /// <summary>Log lines kept with a build and quoted in a failed job's message.</summary>
    public const int TailLines = 40;

    private const int QuotedLines = 6;

    /// <summary>How long a builder recorded but not seen yet may take to appear before the build counts as gone.</summary>
    private static readonly TimeSpan ApplyGrace = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Makes sure the image of <paramref name="spec"/>'s Docker context is built or being built: true when the job must
    /// wait for it (apply its Job suspended), false when the image exists. The builder is applied here; a cluster that
    /// refuses it fails the submit (422 naming <c>environment.build</c>) with nothing else created.
    /// </summary>
    internal async Task<Result<bool>> EnsureAsync(IKubernetes client, Guid clusterId, string @namespace, Guid workspaceId, string jobName, JobSpec spec, string image, CancellationToken cancellationToken)
    {
        var environment = spec.InlineEnvironment ?? throw new ArgumentException("The job brings no environment.", nameof(spec));
        var settings = options.Value;
        var tag = EnvironmentBuilds.ContentTag(environment);
        await using var db = contexts.CreateDbContext();
        var build = await db.EnvironmentBuilds.FirstOrDefaultAsync(b => b.Image == image, cancellationToken).ConfigureAwait(false);
        if (build is { State: EnvironmentBuildState.Succeeded })
        {
            return false;
        }

        if (build is { State: EnvironmentBuildState.Building })
        {
            return true;
        }

        var url = await code.SignBuildContextAsync(environment.BuildSnapshot!, settings.Timeout, cancellationToken).ConfigureAwait(false);
        if (!url.IsSuccess)
        {
            return Result<bool>.Failure(url.Errors);
        }

        var buildNamespace = string.IsNullOrWhiteSpace(settings.Namespace) ? @namespace : settings.Namespace.Trim();
        var now = clock.GetUtcNow();
        var attempt = (build?.Attempts ?? 0) + 1;
        var builderJob = $"{EnvironmentBuildManifests.JobName(tag)}-{attempt}";
        if (build is null)
        {
            build = EnvironmentBuild.Start(settings.Registry!, tag, clusterId, buildNamespace, builderJob, workspaceId, jobName, now);
            db.EnvironmentBuilds.Add(build);
        }
        else
        {
            build.Restart(clusterId, buildNamespace, builderJob, workspaceId, jobName, now);
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (DbUpdateException)
        {
            // A concurrent submit of the same context started it: wait on that build.
            return true;
        }

        var manifest = EnvironmentBuildManifests.Build(buildNamespace, builderJob, tag, image, environment.Dockerfile, url.Value, settings, code.FetchImage);
        try
        {
            await ServerSideApplier.ApplyAsync(client, manifest, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpOperationException e)
        {
            var problem = $"The cluster did not accept the image builder in namespace '{buildNamespace}': {(int)e.Response.StatusCode} {ClusterProblems.Describe(e)}";
            build.Fail(problem, null, null, clock.GetUtcNow());
            await db.SaveChangesAsync(CancellationToken.None).ConfigureAwait(false);
            return Error.Unprocessable("environment_build_refused", "environment.build", problem);
        }

        logger.LogInformation("Building {Image} for job {Job} with {Builder} in {Namespace}", image, jobName, builderJob, buildNamespace);
        return true;
    }

    /// <summary>The build of <paramref name="image"/>, if one was ever started.</summary>
    public async Task<EnvironmentBuild?> FindAsync(string image, CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        return await db.EnvironmentBuilds.AsNoTracking().FirstOrDefaultAsync(b => b.Image == image, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The live end of a running build's log (null when its pod is not known or cannot be read).</summary>
    public async Task<string?> LiveLogAsync(EnvironmentBuild build, CancellationToken cancellationToken)
    {
        if (build.State != EnvironmentBuildState.Building)
        {
            return build.LogTail;
        }

        var client = await clients.GetAsync(build.ClusterId, cancellationToken).ConfigureAwait(false);
        if (!client.IsSuccess)
        {
            return null;
        }

        var pod = build.BuilderPod ?? await BuilderPodAsync(client.Value, build, cancellationToken).ConfigureAwait(false);
        return pod is null ? null : await LogTailAsync(client.Value, build.Namespace, pod, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Follows every running build, then resumes or fails the jobs that wait for an ended one.</summary>
    public async Task ReconcileAsync(CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        var building = await db.EnvironmentBuilds.Where(b => b.State == EnvironmentBuildState.Building).ToListAsync(cancellationToken).ConfigureAwait(false);
        foreach (var build in building)
        {
            await FollowAsync(build, cancellationToken).ConfigureAwait(false);
        }

        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        var waiting = await db.Jobs.Where(j => j.WaitsForEnvironmentBuild && j.State == JobState.Queued).ToListAsync(cancellationToken).ConfigureAwait(false);
        if (waiting.Count == 0)
        {
            return;
        }

        var images = waiting.Select(j => j.Image).Distinct().ToList();
        var builds = await db.EnvironmentBuilds.AsNoTracking().Where(b => images.Contains(b.Image)).ToDictionaryAsync(b => b.Image, cancellationToken).ConfigureAwait(false);
        var failed = new List<(IKubernetes Client, TrainingJob Job)>();
        foreach (var job in waiting)
        {
            var build = builds.GetValueOrDefault(job.Image ?? string.Empty);
            if (build is { State: EnvironmentBuildState.Building })
            {
                continue;
            }

            var client = await clients.GetAsync(job.ClusterId, cancellationToken).ConfigureAwait(false);
            if (!client.IsSuccess)
            {
                continue;
            }

            if (build is { State: EnvironmentBuildState.Succeeded })
            {
                if (await ResumeAsync(client.Value, job, cancellationToken).ConfigureAwait(false))
                {
                    job.EnvironmentBuilt(clock.GetUtcNow());
                }
            }
            else if (job.FailEnvironmentBuild(FailureMessage(build), clock.GetUtcNow()))
            {
                failed.Add((client.Value, job));
            }
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (DbUpdateConcurrencyException)
        {
            // The tracker or a cancel wrote a job meanwhile: the next round reads it again (resuming twice is the same apply).
            return;
        }

        // Removed once the record says why: the tracker then finds an ended job's Job gone, not a waiting job deleted.
        foreach (var (client, job) in failed)
        {
            await JobApplier.DeleteOwnedAsync(client, job, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The failed job's message: the build's sentence and the last lines of its log.</summary>
    internal static string FailureMessage(EnvironmentBuild? build)
    {
        if (build is null)
        {
            return "Image build failed: the build of the job's image is not recorded.";
        }

        var lines = (build.LogTail ?? string.Empty).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var quoted = string.Join('\n', lines.TakeLast(QuotedLines));
        return quoted.Length == 0 ? build.Failure! : $"{build.Failure}\n{quoted}";
    }

    private async Task FollowAsync(EnvironmentBuild build, CancellationToken cancellationToken)
    {
        var client = await clients.GetAsync(build.ClusterId, cancellationToken).ConfigureAwait(false);
        if (!client.IsSuccess)
        {
            return;
        }

        V1Job? job;
        try
        {
            job = await client.Value.BatchV1.ReadNamespacedJobAsync(build.BuilderJob, build.Namespace, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            job = null;
        }
        catch (Exception e) when (e is HttpOperationException or HttpRequestException)
        {
            logger.LogDebug("Reading builder {Namespace}/{Builder} failed: {Problem}", build.Namespace, build.BuilderJob, e.Message);
            return;
        }

        var pod = await BuilderPodAsync(client.Value, build, cancellationToken).ConfigureAwait(false);
        if (pod is not null)
        {
            build.SeePod(pod);
        }

        var now = clock.GetUtcNow();
        if (job is null && now - build.StartedAt < ApplyGrace)
        {
            // Recorded before its builder is applied (so concurrent submits meet on the record): not gone, not yet there.
            return;
        }

        var complete = Condition(job, "Complete");
        var failed = Condition(job, "Failed");
        var overdue = now - build.StartedAt > options.Value.Timeout + TimeSpan.FromMinutes(1);
        if (job is not null && complete is null && failed is null && !overdue)
        {
            return;
        }

        var tail = pod is null ? null : await LogTailAsync(client.Value, build.Namespace, pod, cancellationToken).ConfigureAwait(false);
        if (complete is not null)
        {
            build.Succeed(pod, tail, now);
            logger.LogInformation("Built {Image}", build.Image);
            return;
        }

        string failure;
        if (job is null)
        {
            failure = $"Image build failed: the builder Job {build.BuilderJob} is gone from namespace {build.Namespace} before it finished.";
        }
        else if (overdue || failed?.Reason == "DeadlineExceeded")
        {
            failure = $"Image build failed: it ran longer than {HumanUnits.Duration(options.Value.Timeout)} ({EnvironmentBuildOptions.SectionName}:Timeout) and was stopped.";
            await JobApplier.DeleteAsync(client.Value, build.Namespace, build.BuilderJob, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            var termination = pod is null ? null : await TerminationAsync(client.Value, build.Namespace, pod, cancellationToken).ConfigureAwait(false);
            failure = FailureSentence(tail, termination ?? failed?.Message);
        }

        build.Fail(failure, pod, tail, now);
        logger.LogInformation("Building {Image} failed: {Failure}", build.Image, failure);
    }

    /// <summary>"Image build failed: RUN pip install … — exit status 1": the step that failed (kaniko logs each) and the builder's error.</summary>
    internal static string FailureSentence(string? log, string? error)
    {
        var lines = (log ?? string.Empty).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var step = lines.Select(l => Step().Match(l)).LastOrDefault(m => m.Success)?.Groups["step"].Value;
        var cause = error ?? lines.LastOrDefault(l => l.StartsWith("error", StringComparison.OrdinalIgnoreCase)) ?? "the builder exited with an error";
        cause = cause.Trim().TrimEnd('.');
        return step is null ? $"Image build failed: {cause}." : $"Image build failed: {step} — {cause}.";
    }

    [GeneratedRegex(@"^(?:INFO\[\d+\]\s*)?(?<step>(?:RUN|COPY|ADD|FROM)\s.+)$")]
    private static partial Regex Step();

    private static V1JobCondition? Condition(V1Job? job, string type) =>
        job?.Status?.Conditions?.FirstOrDefault(c => c.Type == type && c.Status == "True");

    private async Task<bool> ResumeAsync(IKubernetes client, TrainingJob job, CancellationToken cancellationToken)
    {
        try
        {
            var objects = StoredManifests.Read(job.ManifestsYaml);
            foreach (var o in objects.Where(o => o.Kind == "Job"))
            {
                var body = (JsonObject)o.Body;
                body["spec"]!["suspend"] = false;
                if (body["metadata"]?["annotations"]?[JobManifests.QueueAfterBuildAnnotation]?.GetValue<string>() is { } queue)
                {
                    var labels = body["metadata"]!["labels"] as JsonObject ?? [];
                    labels[JobManifests.KueueQueueLabel] = queue;
                    body["metadata"]!["labels"] = labels;
                }
            }

            await applier.ApplyAsync(client, objects, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (Exception e) when (e is HttpOperationException or HttpRequestException or JobNameTakenException or YamlDotNet.Core.YamlException)
        {
            logger.LogWarning("Resuming job {Namespace}/{Job} after its image build failed: {Problem}", job.Namespace, job.Name, e.Message);
            return false;
        }
    }

    private static async Task<string?> BuilderPodAsync(IKubernetes client, EnvironmentBuild build, CancellationToken cancellationToken)
    {
        try
        {
            var pods = await client.CoreV1.ListNamespacedPodAsync(build.Namespace, labelSelector: $"job-name={build.BuilderJob}", cancellationToken: cancellationToken).ConfigureAwait(false);
            return pods.Items.OrderByDescending(p => p.Metadata.CreationTimestamp).FirstOrDefault()?.Metadata.Name;
        }
        catch (Exception e) when (e is HttpOperationException or HttpRequestException)
        {
            return null;
        }
    }

    private static async Task<string?> LogTailAsync(IKubernetes client, string @namespace, string pod, CancellationToken cancellationToken)
    {
        try
        {
            using var stream = await client.CoreV1.ReadNamespacedPodLogAsync(pod, @namespace, container: EnvironmentBuildManifests.BuilderContainer, tailLines: TailLines, cancellationToken: cancellationToken).ConfigureAwait(false);
            using var reader = new StreamReader(stream);
            var text = await reader.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
            return text.Length == 0 ? null : text;
        }
        catch (Exception e) when (e is HttpOperationException or HttpRequestException)
        {
            return null;
        }
    }

    private static async Task<string?> TerminationAsync(IKubernetes client, string @namespace, string pod, CancellationToken cancellationToken)
    {
        try
        {
            var live = await client.CoreV1.ReadNamespacedPodAsync(pod, @namespace, cancellationToken: cancellationToken).ConfigureAwait(false);
            var statuses = (live.Status?.InitContainerStatuses ?? []).Concat(live.Status?.ContainerStatuses ?? []);
            return statuses.Select(s => s.State?.Terminated).FirstOrDefault(t => t is { ExitCode: not 0 })?.Message;
        }
        catch (Exception e) when (e is HttpOperationException or HttpRequestException)
        {
            return null;
        }
    }
}
