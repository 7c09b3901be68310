using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Studio.Domain.Common;
using Studio.Domain.Jobs;
using Studio.Domain.Workspaces;
using Studio.Infrastructure.Kubernetes.Inventory;
using Studio.Infrastructure.Persistence;

namespace Studio.Infrastructure.Jobs;

/// <summary>Reads jobs: the workspace's list (filtered, sorted, paged on the database), a job's detail merged with its live pods and events, its events and applied manifests.</summary>
public sealed class JobQueryService(
    IDbContextFactory<StudioDbContext> contexts,
    JobAccess access,
    InventoryRegistry inventories,
    JobClusterEvents clusterEvents,
    JobExplanations explainer,
    EnvironmentBuildService builds,
    TimeProvider clock)
{
    /// <summary>One page of the workspace's jobs, filtered and sorted, from the studio database.</summary>
    public async Task<Result<JobPage<JobSummary>>> ListAsync(Actor actor, string workspaceName, JobQuery query, CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        var (workspace, denied) = await access.WorkspaceAsync(db, actor, workspaceName, WorkspaceRole.Reader, null, cancellationToken).ConfigureAwait(false);
        if (denied is not null)
        {
            return denied;
        }

        var page = Math.Max(1, query.Page);
        var size = Math.Clamp(query.PageSize, 1, JobQuery.MaxPageSize);
        var jobs = db.Jobs.AsNoTracking().Where(j => j.WorkspaceId == workspace!.Id);
        if (query.Status is { Count: > 0 } statuses)
        {
            var states = statuses.Distinct().ToList();
            jobs = states.Count == 1 ? jobs.Where(j => j.State == states[0]) : jobs.Where(j => states.Contains(j.State));
        }

        if (!string.IsNullOrWhiteSpace(query.Compute))
        {
            jobs = jobs.Where(j => j.Compute == query.Compute);
        }

        if (!string.IsNullOrWhiteSpace(query.Submitter))
        {
            jobs = jobs.Where(j => j.SubmitterId == query.Submitter || j.SubmitterName == query.Submitter);
        }

        if (!string.IsNullOrWhiteSpace(query.Experiment))
        {
            jobs = jobs.Where(j => j.Experiment == query.Experiment);
        }

        if (!string.IsNullOrWhiteSpace(query.Text))
        {
            var text = query.Text.Trim().ToLowerInvariant();
            jobs = jobs.Where(j => j.SearchText.Contains(text));
        }

        var total = await jobs.CountAsync(cancellationToken).ConfigureAwait(false);
        var nowSeconds = clock.GetUtcNow().ToUnixTimeSeconds();
        jobs = (query.Sort, query.Descending) switch
        {
            (JobSort.Name, false) => jobs.OrderBy(j => j.Name),
            (JobSort.Name, true) => jobs.OrderByDescending(j => j.Name),
            (JobSort.Status, false) => jobs.OrderBy(j => j.State).ThenByDescending(j => j.CreatedAt),
            (JobSort.Status, true) => jobs.OrderByDescending(j => j.State).ThenByDescending(j => j.CreatedAt),
            (JobSort.Compute, false) => jobs.OrderBy(j => j.Compute).ThenByDescending(j => j.CreatedAt),
            (JobSort.Compute, true) => jobs.OrderByDescending(j => j.Compute).ThenByDescending(j => j.CreatedAt),
            (JobSort.Submitter, false) => jobs.OrderBy(j => j.SubmitterName).ThenByDescending(j => j.CreatedAt),
            (JobSort.Submitter, true) => jobs.OrderByDescending(j => j.SubmitterName).ThenByDescending(j => j.CreatedAt),
            // Duration: ended jobs by their run time, running ones by now − start; never-started jobs last.
            (JobSort.Duration, false) => jobs.OrderBy(j => j.StartedUnixSeconds == null && j.RunSeconds == null).ThenBy(j => j.RunSeconds ?? (nowSeconds - j.StartedUnixSeconds)),
            (JobSort.Duration, true) => jobs.OrderBy(j => j.StartedUnixSeconds == null && j.RunSeconds == null).ThenByDescending(j => j.RunSeconds ?? (nowSeconds - j.StartedUnixSeconds)),
            (_, false) => jobs.OrderBy(j => j.CreatedAt),
            _ => jobs.OrderByDescending(j => j.CreatedAt),
        };
        var rows = await jobs.Skip((page - 1) * size).Take(size).Select(JobViews.SummaryColumns).ToListAsync(cancellationToken).ConfigureAwait(false);
        var items = rows.Select(r => r.ToSummary(workspace!.Name)).ToList();
        return new JobPage<JobSummary>(items, total, page, size);
    }

    /// <summary>The detail page: the record merged with live pods, events and the explainer when the cluster answers.</summary>
    public async Task<Result<JobDetail>> GetAsync(Actor actor, string workspaceName, string name, CancellationToken cancellationToken)
    {
        var found = await access.FindAsync(actor, workspaceName, name, WorkspaceRole.Reader, includeChildren: true, cancellationToken).ConfigureAwait(false);
        if (!found.IsSuccess)
        {
            return Result<JobDetail>.Failure(found.Errors);
        }

        var (workspace, record) = found.Value;
        var spec = JsonSerializer.Deserialize<JobSpec>(record.SpecJson, JobViews.Json)!;
        var cluster = await ClusterNameAsync(record.ClusterId, cancellationToken).ConfigureAwait(false);
        var pods = record.Pods.ToDictionary(p => p.Name, p => JobViews.ToView(p, live: false), StringComparer.Ordinal);
        var events = record.Events.Select(e => new JobEventView(e.At, e.Type, e.Reason, e.Message, e.Object, e.Count)).ToList();
        string? liveProblem = null;
        JobExplanation? explanation = null;
        var state = record.State;
        var inventory = inventories.Peek(record.ClusterId);
        if (inventory is not null && inventory.JobPods.Health.State != InformerState.Syncing)
        {
            foreach (var pod in inventory.JobPods.Snapshot().Where(p => p.BelongsTo(record)))
            {
                var hasTail = pods.TryGetValue(pod.Name, out var stored) && stored.HasLogTail;
                pods[pod.Name] = JobViews.ToView(pod, record, hasTail);
            }
        }

        if (!JobLifecycle.IsTerminal(state) || events.Count == 0)
        {
            var live = await clusterEvents.LiveEventsAsync(record, cancellationToken).ConfigureAwait(false);
            if (live.IsSuccess)
            {
                events = JobViews.Merge(events, live.Value);
            }
            else
            {
                liveProblem = live.Errors[0].Message;
            }
        }

        if (state == JobState.Queued)
        {
            explanation = await explainer.PendingAsync(workspace, record, spec, pods.Values.ToList(), cancellationToken).ConfigureAwait(false);
        }
        else if (state == JobState.Failed)
        {
            explanation = JobExplanations.Failure(record);
        }

        var build = await BuildAsync(record, spec, cancellationToken).ConfigureAwait(false);
        if (build is { State: EnvironmentBuildState.Building } && explanation is { Kind: ExplanationKind.Pending } && record.WaitsForEnvironmentBuild)
        {
            explanation = explanation with { Title = $"Building environment (kaniko) — {Studio.Domain.HumanUnits.Duration(clock.GetUtcNow() - build.StartedAt)}" };
        }

        var timeline = record.Transitions.OrderBy(t => t.At).ThenBy(t => t.Id).Select(t => t.ToTransition()).ToList();
        return new JobDetail(
            JobViews.ToSummary(record, workspace.Name),
            spec,
            record.SubmittedYaml,
            record.Namespace,
            cluster,
            record.Image,
            timeline,
            [.. pods.Values.OrderBy(p => p.Rank).ThenBy(p => p.StartedAt ?? DateTimeOffset.MaxValue).ThenBy(p => p.Name, StringComparer.Ordinal)],
            [.. events.OrderByDescending(e => e.At)],
            explanation,
            record.Requests,
            record.Limits,
            record.ManifestsYaml,
            liveProblem,
            build);
    }

    /// <summary>The in-cluster build of the job's image (null when its image is not built from a Docker context, or no build was recorded).</summary>
    private async Task<JobEnvironmentBuildView?> BuildAsync(TrainingJob record, JobSpec spec, CancellationToken cancellationToken)
    {
        if (!JobResolver.IsBuilt(spec) || record.Image is not { } image || await builds.FindAsync(image, cancellationToken).ConfigureAwait(false) is not { } build)
        {
            return null;
        }

        var mine = build.WorkspaceId == record.WorkspaceId && build.JobName == record.Name;
        // Another workspace's job is never named: only that the image was built before.
        var other = !mine && build.WorkspaceId == record.WorkspaceId ? build.JobName : null;
        var prepared = build.State switch
        {
            EnvironmentBuildState.Building when mine => $"being built in the cluster as {image} by kaniko (builder {build.BuilderJob})",
            EnvironmentBuildState.Building => $"waiting for the build of {image} that {(other is null ? "an earlier job" : $"job {other}")} started (kaniko)",
            EnvironmentBuildState.Succeeded when mine => $"built in the cluster as {image} by kaniko",
            EnvironmentBuildState.Succeeded => $"reused the build of {(other is null ? "an earlier job" : $"job {other}")}: {image}, built in the cluster by kaniko",
            _ => $"the build of {image} by kaniko failed",
        };
        var log = await builds.LiveLogAsync(build, cancellationToken).ConfigureAwait(false);
        return new JobEnvironmentBuildView(image, build.State, prepared, mine, other, build.StartedAt, build.FinishedAt, build.BuilderPod, build.Failure, log);
    }

    /// <summary>The applied manifests of a job, as YAML.</summary>
    public async Task<Result<string>> ManifestsAsync(Actor actor, string workspaceName, string name, CancellationToken cancellationToken)
    {
        var found = await access.FindAsync(actor, workspaceName, name, WorkspaceRole.Reader, includeChildren: false, cancellationToken).ConfigureAwait(false);
        return found.IsSuccess ? found.Value.Record.ManifestsYaml : Result<string>.Failure(found.Errors);
    }

    /// <summary>The job's events: the recorded ones merged with what the cluster still has, newest first.</summary>
    public async Task<Result<IReadOnlyList<JobEventView>>> EventsAsync(Actor actor, string workspaceName, string name, CancellationToken cancellationToken)
    {
        var found = await access.FindAsync(actor, workspaceName, name, WorkspaceRole.Reader, includeChildren: true, cancellationToken).ConfigureAwait(false);
        if (!found.IsSuccess)
        {
            return Result<IReadOnlyList<JobEventView>>.Failure(found.Errors);
        }

        var record = found.Value.Record;
        var events = record.Events.Select(e => new JobEventView(e.At, e.Type, e.Reason, e.Message, e.Object, e.Count)).ToList();
        var live = await clusterEvents.LiveEventsAsync(record, cancellationToken).ConfigureAwait(false);
        if (live.IsSuccess)
        {
            events = JobViews.Merge(events, live.Value);
        }

        return Result<IReadOnlyList<JobEventView>>.Ok([.. events.OrderByDescending(e => e.At)]);
    }

    private async Task<string> ClusterNameAsync(Guid clusterId, CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        return await db.Clusters.AsNoTracking().Where(c => c.Id == clusterId).Select(c => c.Name).FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false) ?? "(removed)";
    }
}
