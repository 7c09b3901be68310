using System.Globalization;
using System.Text.Json;
using k8s;
using k8s.Autorest;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Studio.Domain.Clusters;
using Studio.Domain.Common;
using Studio.Domain.InstanceTypes;
using Studio.Domain.Jobs;
using Studio.Domain.Workspaces;
using Studio.Infrastructure.InstanceTypes;
using Studio.Infrastructure.Kubernetes;
using Studio.Infrastructure.Kubernetes.Inventory;
using Studio.Infrastructure.Persistence;
using Studio.Infrastructure.Persistence.Repositories;

namespace Studio.Infrastructure.Jobs;

/// <summary>
/// Training jobs: import CLI v2 YAML, pre-flight, preview the manifests, submit (idempotent per request id), list, detail,
/// cancel, logs and events. Data scientists submit and cancel in their workspaces, readers view, nobody sees another
/// workspace's jobs. Status comes from the shared informers through <see cref="JobTracker"/>, which raises
/// <see cref="JobChanged"/>.
/// </summary>
public sealed partial class JobService(
    IDbContextFactory<StudioDbContext> contexts,
    KubernetesClientFactory clients,
    InventoryRegistry inventories,
    JobApplier applier,
    EnvironmentCatalog environments,
    IOptions<JobsOptions> options,
    TimeProvider clock,
    ILogger<JobService> logger,
    InstanceTypeCatalog catalog)
{
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly System.Collections.Concurrent.ConcurrentDictionary<Guid, byte> _canceling = new();

    /// <summary>Raised after a job's objects were applied (cluster, namespace, name): the tracker starts watching at once.</summary>
    internal event Action<Guid, string, string>? Submitted;

    /// <summary>Whether a cancel of the job is in progress (the tracker leaves it alone meanwhile).</summary>
    internal bool IsCanceling(Guid jobId) => _canceling.ContainsKey(jobId);

    /// <summary>Raised (off the caller's thread, quickly) with the job's row whenever a job is submitted or its state or pods change.</summary>
    public event Action<JobSummary>? JobChanged;

    internal void Publish(JobSummary summary)
    {
        try
        {
            JobChanged?.Invoke(summary);
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "A JobChanged handler failed");
        }
    }

    /// <summary>Imports a CLI v2 command job YAML: the spec plus every unsupported key with its path and reason; errors name their path.</summary>
    public Result<JobImport> ImportYaml(string yaml) => CommandJobYaml.Import(yaml);

    /// <summary>The spec as CLI v2 YAML (download, clone-and-edit).</summary>
    public static string ToYaml(JobSpec spec) => CommandJobYamlExport.Export(spec);

    /// <inheritdoc cref="SubmitAsync(Actor, string, JobSpec, string?, CancellationToken)"/>
    public Task<Result<JobSubmitted>> SubmitAsync(Actor actor, string workspaceName, JobSpec spec, CancellationToken cancellationToken) =>
        SubmitAsync(actor, workspaceName, spec, null, cancellationToken);

    /// <summary>
    /// Submits a job: validates, resolves compute, instance type and image, records it (Queued) and applies its objects
    /// with server-side apply. A retry with the same <paramref name="requestId"/> returns the job it created
    /// (<see cref="JobSubmitted.Created"/> false) and never creates a second one.
    /// </summary>
    public async Task<Result<JobSubmitted>> SubmitAsync(Actor actor, string workspaceName, JobSpec spec, string? requestId, CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        var workspace = await new WorkspaceRepository(db).FindByNameAsync(workspaceName, cancellationToken).ConfigureAwait(false);
        if (WorkspaceAccess.Check(actor, workspace, workspaceName, WorkspaceRole.DataScientist, $"Only data scientists of workspace '{workspace?.Name}' can submit jobs.") is { } denied)
        {
            return denied;
        }

        if (requestId is { Length: > 128 })
        {
            return Error.Validation("requestId", "A request id is at most 128 characters.");
        }

        var name = JobNames.For(workspace!.Id, spec, requestId);
        var existing = await db.Jobs.AsNoTracking().FirstOrDefaultAsync(j => j.WorkspaceId == workspace.Id && j.Name == name, cancellationToken).ConfigureAwait(false);
        if (existing is not null)
        {
            if (requestId is not null && existing.RequestId == requestId)
            {
                return new JobSubmitted(existing.Name, existing.State, Created: false);
            }

            return Error.Conflict("job_exists", $"Workspace '{workspace.Name}' already has a job named '{name}'. Choose another name.", "name");
        }

        var resolved = await ResolveAsync(db, workspace, spec, cancellationToken).ConfigureAwait(false);
        if (!resolved.IsSuccess)
        {
            return Result<JobSubmitted>.Failure(resolved.Errors);
        }

        var r = resolved.Value;
        var gang = r.Client is null ? GangScheduler.PodGroupLabel : await applier.GangAsync(r.Target.ClusterId, r.Client, cancellationToken).ConfigureAwait(false);
        var plan = Plan(workspace, r, name, spec, gang);
        var manifests = JobManifests.Build(plan);
        var record = TrainingJob.Submit(
            new JobSubmission(
                workspace.Id, name, requestId, spec.DisplayName, spec.ExperimentName, r.Target.Name, r.Target.ClusterId, r.Target.Namespace,
                r.InstanceType.Name, spec.InstanceCount, spec.Distribution.Kind, r.Image, actor.UserId, actor.DisplayName, SearchText(name, spec),
                JsonSerializer.Serialize(spec with { Compute = r.Target.Name, InstanceType = r.InstanceType.Name }, Json),
                CommandJobYamlExport.Export(spec), JobManifests.ToYaml(manifests), r.InstanceType.PodRequest, r.InstanceType.Limits),
            clock.GetUtcNow());
        db.Jobs.Add(record);
        db.Audit(clock, actor, "job.submit", $"{workspace.Name}/{name}", $"compute {r.Target.Name}, instance type {r.InstanceType.Name} × {spec.InstanceCount}, image {r.Image}");
        try
        {
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (DbUpdateException)
        {
            // A concurrent submit with the same request id won the unique (workspace, name) index: answer with its job.
            await using var again = contexts.CreateDbContext();
            var winner = await again.Jobs.AsNoTracking().FirstOrDefaultAsync(j => j.WorkspaceId == workspace.Id && j.Name == name, cancellationToken).ConfigureAwait(false);
            if (winner is not null && requestId is not null && winner.RequestId == requestId)
            {
                return new JobSubmitted(winner.Name, winner.State, Created: false);
            }

            return Error.Conflict("job_exists", $"Workspace '{workspace.Name}' already has a job named '{name}'. Choose another name.", "name");
        }

        try
        {
            if (r.Client is null)
            {
                throw new InvalidOperationException(r.ClientProblem ?? "The cluster cannot be reached.");
            }

            await applier.ApplyAsync(r.Client, manifests, cancellationToken).ConfigureAwait(false);
            Submitted?.Invoke(r.Target.ClusterId, r.Target.Namespace, name);
        }
        catch (Exception e) when (e is HttpOperationException or HttpRequestException or InvalidOperationException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            var problem = e is InvalidOperationException ? e.Message : KubernetesProbe.Describe(e);
            logger.LogWarning("Applying job {Workspace}/{Job} failed: {Problem}", workspace.Name, name, problem);
            record.FailSubmit(problem, clock.GetUtcNow());
            await db.SaveChangesAsync(CancellationToken.None).ConfigureAwait(false);
        }

        return new JobSubmitted(name, record.State, Created: true);
    }

    /// <summary>"Will this job run?": fit now / will queue / never fits with the closest instance type, quota headroom, image sanity.</summary>
    public async Task<Result<JobPreflightReport>> PreflightAsync(Actor actor, string workspaceName, JobSpec spec, CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        var workspace = await new WorkspaceRepository(db).FindByNameAsync(workspaceName, cancellationToken).ConfigureAwait(false);
        if (WorkspaceAccess.Check(actor, workspace, workspaceName, WorkspaceRole.Reader) is { } denied)
        {
            return denied;
        }

        var errors = spec.Validate().ToList();
        var target = string.IsNullOrWhiteSpace(spec.Compute) ? null : workspace!.FindComputeTarget(spec.Compute);
        if (target is null)
        {
            if (!string.IsNullOrWhiteSpace(spec.Compute))
            {
                errors.Add(ComputeMissing(workspace!, spec.Compute));
            }

            return new JobPreflightReport(FitVerdict.NeverFits, errors.Count > 0 ? errors[0].Message : "Choose a compute target.", spec.InstanceType ?? InstanceType.DefaultName, default, default, spec.InstanceCount, [], null, [], EmptyQuota, ImageSanity(workspace!, spec, errors), ErrorMap(errors));
        }

        var typeName = string.IsNullOrWhiteSpace(spec.InstanceType) ? target.DefaultInstanceType : spec.InstanceType.Trim();
        var types = await InstanceTypesAsync(target.ClusterId, cancellationToken).ConfigureAwait(false);
        var type = types.FirstOrDefault(t => t.Name == typeName);
        if (type is null)
        {
            errors.Add(Error.Validation("resources.instance_type", $"Instance type '{typeName}' does not exist on the cluster of '{target.Name}'. Available: {string.Join(", ", types.Select(t => t.Name))}."));
        }

        var image = ImageSanity(workspace!, spec, errors);
        var lease = await inventories.AcquireAsync(target.ClusterId, cancellationToken).ConfigureAwait(false);
        if (!lease.IsSuccess)
        {
            return new JobPreflightReport(FitVerdict.WillQueue, $"The cluster cannot be reached ({lease.Errors[0].Message}); the job would queue until it can.", typeName, type?.Requests ?? default, type?.Limits ?? default, spec.InstanceCount, [], null, [], EmptyQuota, image, ErrorMap(errors));
        }

        using (lease.Value)
        {
            var inventory = lease.Value.Inventory;
            await Task.WhenAny(inventory.FirstSync, Task.Delay(TimeSpan.FromSeconds(10), clock, cancellationToken)).ConfigureAwait(false);
            var quota = Quota(inventory, target, Multiply(type?.PodRequest ?? default, spec.InstanceCount));
            if (type is null)
            {
                return new JobPreflightReport(FitVerdict.NeverFits, errors.First(e => e.Field == "resources.instance_type").Message, typeName, default, default, spec.InstanceCount, [], null, [], quota, image, ErrorMap(errors));
            }

            var nodes = InstanceTypeAvailabilities.Nodes(inventory);
            var context = new FitContext(await catalog.ExtensionSelectorAsync(target.ClusterId, cancellationToken).ConfigureAwait(false), workspace!.Name, target.Name);
            var fit = Fit(nodes, type, context);
            var n = spec.InstanceCount;
            var verdict = fit.FitsNow(n) ? FitVerdict.FitsNow : fit.EverFits(n) ? FitVerdict.WillQueue : FitVerdict.NeverFits;
            var suggestions = new List<string>();
            string? closest = null;
            if (verdict != FitVerdict.FitsNow)
            {
                if (fit.FitNow > 0 && fit.FitNow < n)
                {
                    suggestions.Add($"{fit.FitNow} instance{(fit.FitNow == 1 ? string.Empty : "s")} of {type.Name} fit now.");
                }

                foreach (var other in types.Where(t => t.Name != type.Name))
                {
                    var otherFit = Fit(nodes, other, context);
                    if (otherFit.FitsNow(n))
                    {
                        suggestions.Add($"Instance type {other.Name} ({JobFit.Describe(other.PodRequest)} per instance) fits {n} instance{(n == 1 ? string.Empty : "s")} now.");
                    }
                }

                if (verdict == FitVerdict.NeverFits)
                {
                    closest = Closest(types.Where(t => t.Name != type.Name && Fit(nodes, t, context).EverFits(n)), type)?.Name;
                }
            }

            var summary = verdict switch
            {
                FitVerdict.FitsNow => n == 1 ? "Fits now: the job can start right away." : $"Fits now: all {n} instances can start together.",
                FitVerdict.WillQueue => $"Will queue: {(fit.FitNow == 0 ? "no instance" : $"only {fit.FitNow} of {n} instances")} fit{(fit.FitNow == 1 ? "s" : string.Empty)} in free capacity now; it starts when the matching nodes free up.",
                _ => (fit.NoMatchReason ?? (fit.FitEmpty == 0
                        ? $"Can never fit: an instance needs {JobFit.Describe(type.PodRequest)} and no matching node is that big."
                        : $"Can never fit: the matching nodes hold at most {fit.FitEmpty} instance{(fit.FitEmpty == 1 ? string.Empty : "s")} even when empty; the job needs {n} placed together."))
                    + (closest is null ? string.Empty : $" Instance type {closest} would fit."),
            };
            if (!quota.Fits && verdict == FitVerdict.FitsNow)
            {
                verdict = FitVerdict.WillQueue;
                summary = "Will queue: " + quota.Explanation;
            }

            if (errors.Count > 0)
            {
                summary = $"{errors.Count} problem{(errors.Count == 1 ? string.Empty : "s")} to fix before submitting. " + summary;
            }

            return new JobPreflightReport(verdict, summary, type.Name, type.PodRequest, type.Limits, n, fit.Pools, closest, suggestions, quota, image, ErrorMap(errors));
        }
    }

    /// <summary>The YAML of exactly the objects a submit would apply (owner references are added at apply time).</summary>
    public async Task<Result<string>> PreviewManifestsAsync(Actor actor, string workspaceName, JobSpec spec, CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        var workspace = await new WorkspaceRepository(db).FindByNameAsync(workspaceName, cancellationToken).ConfigureAwait(false);
        if (WorkspaceAccess.Check(actor, workspace, workspaceName, WorkspaceRole.Reader) is { } denied)
        {
            return denied;
        }

        var resolved = await ResolveAsync(db, workspace!, spec, cancellationToken).ConfigureAwait(false);
        if (!resolved.IsSuccess)
        {
            return Result<string>.Failure(resolved.Errors);
        }

        var r = resolved.Value;
        var gang = r.Client is null ? GangScheduler.PodGroupLabel : await applier.GangAsync(r.Target.ClusterId, r.Client, cancellationToken).ConfigureAwait(false);
        var name = JobNames.For(workspace!.Id, spec, "preview");
        return JobManifests.ToYaml(JobManifests.Build(Plan(workspace, r, name, spec, gang)));
    }

    /// <summary>One page of the workspace's jobs, filtered and sorted, from the studio database.</summary>
    public async Task<Result<JobPage<JobSummary>>> ListAsync(Actor actor, string workspaceName, JobQuery query, CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        var workspace = await new WorkspaceRepository(db).FindByNameAsync(workspaceName, cancellationToken).ConfigureAwait(false);
        if (WorkspaceAccess.Check(actor, workspace, workspaceName, WorkspaceRole.Reader) is { } denied)
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
        var rows = await jobs.Skip((page - 1) * size).Take(size).Select(SummaryColumns).ToListAsync(cancellationToken).ConfigureAwait(false);
        var items = rows.Select(r => r.ToSummary(workspace!.Name)).ToList();
        return new JobPage<JobSummary>(items, total, page, size);
    }

    /// <summary>The detail page: the record merged with live pods, events and the explainer when the cluster answers.</summary>
    public async Task<Result<JobDetail>> GetAsync(Actor actor, string workspaceName, string name, CancellationToken cancellationToken)
    {
        var found = await FindAsync(actor, workspaceName, name, WorkspaceRole.Reader, includeChildren: true, cancellationToken).ConfigureAwait(false);
        if (!found.IsSuccess)
        {
            return Result<JobDetail>.Failure(found.Errors);
        }

        var (workspace, record) = found.Value;
        var spec = JsonSerializer.Deserialize<JobSpec>(record.SpecJson, Json)!;
        var cluster = await ClusterNameAsync(record.ClusterId, cancellationToken).ConfigureAwait(false);
        var pods = record.Pods.ToDictionary(p => p.Name, p => ToView(p, live: false), StringComparer.Ordinal);
        var events = record.Events.Select(e => new JobEventView(e.At, e.Type, e.Reason, e.Message, e.Object, e.Count)).ToList();
        string? liveProblem = null;
        JobExplanation? explanation = null;
        var state = record.State;
        var inventory = inventories.Peek(record.ClusterId);
        if (inventory is not null && inventory.JobPods.Health.State != InformerState.Syncing)
        {
            foreach (var pod in inventory.JobPods.Snapshot().Where(p => p.Namespace == record.Namespace && p.Job == record.Name))
            {
                var hasTail = pods.TryGetValue(pod.Name, out var stored) && stored.HasLogTail;
                pods[pod.Name] = ToView(pod, record, hasTail);
            }
        }

        if (!JobLifecycle.IsTerminal(state) || events.Count == 0)
        {
            var live = await LiveEventsAsync(record, cancellationToken).ConfigureAwait(false);
            if (live.IsSuccess)
            {
                events = Merge(events, live.Value);
            }
            else
            {
                liveProblem = live.Errors[0].Message;
            }
        }

        if (state == JobState.Queued)
        {
            explanation = await PendingExplanationAsync(workspace, record, spec, pods.Values.ToList(), cancellationToken).ConfigureAwait(false);
        }
        else if (state == JobState.Failed)
        {
            explanation = new JobExplanation(ExplanationKind.Failure, Title(record.Reason), record.Message ?? "The job failed.", record.Hint, [], null, []);
        }

        var timeline = record.Transitions.OrderBy(t => t.At).ThenBy(t => t.Id).Select(t => t.ToTransition()).ToList();
        return new JobDetail(
            ToSummary(record, workspace.Name),
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
            liveProblem);
    }

    /// <summary>Cancels a job: keeps its pods' log tails, deletes the Job (pods, Service and ConfigMap cascade) and records Canceled.</summary>
    public async Task<Result<JobSummary>> CancelAsync(Actor actor, string workspaceName, string name, CancellationToken cancellationToken)
    {
        var found = await FindAsync(actor, workspaceName, name, WorkspaceRole.DataScientist, includeChildren: false, cancellationToken).ConfigureAwait(false);
        if (!found.IsSuccess)
        {
            return Result<JobSummary>.Failure(found.Errors);
        }

        var (workspace, record) = found.Value;
        return await CancelAsync(actor, workspace, record.Id, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Cancels several jobs; each answers for itself (already finished, not found, canceled).</summary>
    public async Task<Result<IReadOnlyList<JobCancelResult>>> CancelManyAsync(Actor actor, string workspaceName, IReadOnlyList<string> names, CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        var workspace = await new WorkspaceRepository(db).FindByNameAsync(workspaceName, cancellationToken).ConfigureAwait(false);
        if (WorkspaceAccess.Check(actor, workspace, workspaceName, WorkspaceRole.DataScientist, $"Only data scientists of workspace '{workspace?.Name}' can cancel jobs.") is { } denied)
        {
            return denied;
        }

        if (names.Count > JobQuery.MaxPageSize)
        {
            return Error.Validation("names", $"Cancel at most {JobQuery.MaxPageSize} jobs at once.");
        }

        var results = new List<JobCancelResult>();
        foreach (var name in names.Distinct(StringComparer.Ordinal))
        {
            var record = await db.Jobs.AsNoTracking().FirstOrDefaultAsync(j => j.WorkspaceId == workspace!.Id && j.Name == name, cancellationToken).ConfigureAwait(false);
            if (record is null)
            {
                results.Add(new JobCancelResult(name, false, $"Job '{name}' was not found."));
                continue;
            }

            var result = await CancelAsync(actor, workspace!, record.Id, cancellationToken).ConfigureAwait(false);
            results.Add(result.IsSuccess ? new JobCancelResult(name, true, null) : new JobCancelResult(name, false, result.Errors[0].Message));
        }

        return results;
    }

    /// <summary>The applied manifests of a job, as YAML.</summary>
    public async Task<Result<string>> ManifestsAsync(Actor actor, string workspaceName, string name, CancellationToken cancellationToken)
    {
        var found = await FindAsync(actor, workspaceName, name, WorkspaceRole.Reader, includeChildren: false, cancellationToken).ConfigureAwait(false);
        return found.IsSuccess ? found.Value.Record.ManifestsYaml : Result<string>.Failure(found.Errors);
    }

    /// <summary>The job's events: the recorded ones merged with what the cluster still has, newest first.</summary>
    public async Task<Result<IReadOnlyList<JobEventView>>> EventsAsync(Actor actor, string workspaceName, string name, CancellationToken cancellationToken)
    {
        var found = await FindAsync(actor, workspaceName, name, WorkspaceRole.Reader, includeChildren: true, cancellationToken).ConfigureAwait(false);
        if (!found.IsSuccess)
        {
            return Result<IReadOnlyList<JobEventView>>.Failure(found.Errors);
        }

        var record = found.Value.Record;
        var events = record.Events.Select(e => new JobEventView(e.At, e.Type, e.Reason, e.Message, e.Object, e.Count)).ToList();
        var live = await LiveEventsAsync(record, cancellationToken).ConfigureAwait(false);
        if (live.IsSuccess)
        {
            events = Merge(events, live.Value);
        }

        return Result<IReadOnlyList<JobEventView>>.Ok([.. events.OrderByDescending(e => e.At)]);
    }

    private async Task<Result<JobSummary>> CancelAsync(Actor actor, Workspace workspace, Guid jobId, CancellationToken cancellationToken)
    {
        if (!_canceling.TryAdd(jobId, 0))
        {
            return Error.Conflict("job_canceling", "This job is already being canceled.");
        }

        try
        {
            return await CancelOnceAsync(actor, workspace, jobId, cancellationToken).ConfigureAwait(false);
        }
        catch (DbUpdateConcurrencyException)
        {
            // The tracker wrote the record meanwhile; cancel against the fresh record.
            return await CancelOnceAsync(actor, workspace, jobId, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _canceling.TryRemove(jobId, out _);
        }
    }

    private async Task<Result<JobSummary>> CancelOnceAsync(Actor actor, Workspace workspace, Guid jobId, CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        var record = await db.Jobs.Include(j => j.Transitions).Include(j => j.Pods).AsSplitQuery().FirstAsync(j => j.Id == jobId, cancellationToken).ConfigureAwait(false);
        if (record.IsTerminal)
        {
            return Error.Conflict("job_finished", $"Job '{record.Name}' already ended ({record.State}); there is nothing to cancel.");
        }

        var client = await clients.GetAsync(record.ClusterId, cancellationToken).ConfigureAwait(false);
        if (client.IsSuccess)
        {
            try
            {
                await CaptureLogTailsAsync(client.Value, record, inventories.Peek(record.ClusterId), force: true, cancellationToken).ConfigureAwait(false);
                await JobApplier.DeleteAsync(client.Value, record.Namespace, record.Name, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is HttpOperationException or HttpRequestException)
            {
                return Error.Conflict("cluster_unavailable", $"Job '{record.Name}' could not be canceled: {KubernetesProbe.Describe(e)} Try again.");
            }
        }
        else
        {
            logger.LogWarning("Canceling {Job} without reaching its cluster: {Problem}", record.Name, client.Errors[0].Message);
        }

        var canceled = record.Cancel(actor.DisplayName, clock.GetUtcNow());
        if (!canceled.IsSuccess)
        {
            return Result<JobSummary>.Failure(canceled.Errors);
        }

        db.Audit(clock, actor, "job.cancel", $"{workspace.Name}/{record.Name}", client.IsSuccess ? null : "cluster unreachable: the record is canceled; the Job may still exist on the cluster");
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return ToSummary(record, workspace.Name);
    }

    internal async Task<Result<(Workspace Workspace, TrainingJob Record)>> FindAsync(Actor actor, string workspaceName, string name, WorkspaceRole minimum, bool includeChildren, CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        var workspace = await new WorkspaceRepository(db).FindByNameAsync(workspaceName, cancellationToken).ConfigureAwait(false);
        if (WorkspaceAccess.Check(actor, workspace, workspaceName, minimum, $"Only data scientists of workspace '{workspace?.Name}' can change its jobs.") is { } denied)
        {
            return denied;
        }

        IQueryable<TrainingJob> jobs = db.Jobs.AsNoTracking();
        if (includeChildren)
        {
            jobs = jobs.Include(j => j.Transitions).Include(j => j.Events).Include(j => j.Pods).AsSplitQuery();
        }

        var record = await jobs.FirstOrDefaultAsync(j => j.WorkspaceId == workspace!.Id && j.Name == name, cancellationToken).ConfigureAwait(false);
        if (record is null)
        {
            return Error.NotFound($"Workspace '{workspace!.Name}' has no job named '{name}'.");
        }

        return (workspace!, record);
    }

    private sealed record Resolution(ComputeTarget Target, InstanceType InstanceType, string Image, IKubernetes? Client, string? ClientProblem, IReadOnlyDictionary<string, string> ExtensionSelector);

    private async Task<Result<Resolution>> ResolveAsync(StudioDbContext db, Workspace workspace, JobSpec spec, CancellationToken cancellationToken)
    {
        var errors = spec.Validate().ToList();
        var target = string.IsNullOrWhiteSpace(spec.Compute) ? null : workspace.FindComputeTarget(spec.Compute.Trim());
        if (target is null && !string.IsNullOrWhiteSpace(spec.Compute))
        {
            errors.Add(ComputeMissing(workspace, spec.Compute));
        }
        else if (target is not null && target.State != ComputeTargetState.Succeeded)
        {
            errors.Add(Error.Validation("compute", $"Compute target '{target.Name}' is {target.State}{(target.StateReason is null ? string.Empty : $" ({target.StateReason})")}; jobs run only on a Succeeded compute target."));
        }

        string? image = spec.Image?.Trim();
        if (image is null && !string.IsNullOrWhiteSpace(spec.Environment))
        {
            image = environments.Resolve(workspace, spec.Environment);
            if (image is null)
            {
                errors.Add(Error.Validation("environment", $"Environment '{spec.Environment}' is not registered. Known environments: {string.Join(", ", environments.Known(workspace))}; or give an image."));
            }
        }

        InstanceType? type = null;
        if (target is not null && errors.All(e => e.Field != "compute"))
        {
            var typeName = string.IsNullOrWhiteSpace(spec.InstanceType) ? target.DefaultInstanceType : spec.InstanceType.Trim();
            var found = await InstanceTypeAsync(target.ClusterId, typeName, cancellationToken).ConfigureAwait(false);
            if (found.IsSuccess)
            {
                type = found.Value;
            }
            else
            {
                errors.Add(Error.Validation("resources.instance_type", found.Errors[0].Message));
            }
        }

        if (errors.Count > 0)
        {
            return Result<Resolution>.Failure(errors);
        }

        var client = await clients.GetAsync(target!.ClusterId, cancellationToken).ConfigureAwait(false);
        var extensionSelector = await catalog.ExtensionSelectorAsync(target.ClusterId, cancellationToken).ConfigureAwait(false);
        return new Resolution(target, type!, image!, client.IsSuccess ? client.Value : null, client.IsSuccess ? null : client.Errors[0].Message, extensionSelector);
    }

    private JobPlan Plan(Workspace workspace, Resolution r, string name, JobSpec spec, GangScheduler gang)
    {
        // Pods match both the instance type's and the extension-wide node selector (reference §1.6).
        var selector = new Dictionary<string, string>(r.ExtensionSelector, StringComparer.Ordinal);
        foreach (var (key, value) in r.InstanceType.NodeSelector)
        {
            selector[key] = value;
        }

        var type = selector.Count == r.InstanceType.NodeSelector.Count ? r.InstanceType : r.InstanceType with { NodeSelector = selector };
        return new(workspace.Name, r.Target.Name, r.Target.Namespace, name, spec, type, r.Image, gang, options.Value.RendezvousPort, options.Value.KueueQueue, r.Target.Identity is { Length: > 0 } id && Dns1123.ValidateSubdomain(id) is null ? id : null);
    }

    private async Task<Result<InstanceType>> InstanceTypeAsync(Guid clusterId, string name, CancellationToken cancellationToken)
    {
        // Fast path for submits: the shared informer already holds the cluster's instance types.
        if (inventories.Peek(clusterId) is { InstanceTypesInstalled: true } inventory && inventory.InstanceTypes.Health.State == InformerState.Synced)
        {
            if (inventory.InstanceTypes.TryGet(name, out var entry) && entry?.InstanceType is { } type)
            {
                return type;
            }

            if (name == InstanceType.DefaultName && entry is null)
            {
                return InstanceType.Default;
            }
        }

        return await catalog.GetAsync(clusterId, name, cancellationToken).ConfigureAwait(false);
    }

    private async Task<IReadOnlyList<InstanceType>> InstanceTypesAsync(Guid clusterId, CancellationToken cancellationToken)
    {
        var listed = await catalog.ListAsync(clusterId, cancellationToken).ConfigureAwait(false);
        return listed.IsSuccess ? listed.Value : [InstanceType.Default];
    }

    /// <summary>The fit of an instance type for this workspace and compute (their ML taints, the extension-wide node selector).</summary>
    internal static JobFitResult Fit(IReadOnlyList<FitNode> nodes, InstanceType type, FitContext context) =>
        JobFit.From(FitCalculator.Evaluate(type, nodes, context));

    private static Error ComputeMissing(Workspace workspace, string name) => Error.Validation(
        "compute",
        workspace.ComputeTargets.Count == 0
            ? $"Workspace '{workspace.Name}' has no compute targets; ask IT operations to attach a cluster."
            : $"Workspace '{workspace.Name}' has no compute target named '{name}'. Choose one of: {string.Join(", ", workspace.ComputeTargets.Select(c => c.Name))}.");

    private ImageCheck ImageSanity(Workspace workspace, JobSpec spec, List<Error> errors)
    {
        var image = spec.Image?.Trim();
        if (image is null && !string.IsNullOrWhiteSpace(spec.Environment))
        {
            image = environments.Resolve(workspace, spec.Environment);
            if (image is null)
            {
                var error = $"Environment '{spec.Environment}' is not registered. Known environments: {string.Join(", ", environments.Known(workspace))}.";
                errors.Add(Error.Validation("environment", error));
                return new ImageCheck(null, false, [], error);
            }
        }

        if (image is null)
        {
            return new ImageCheck(null, false, [], "No image: choose an image or a named environment.");
        }

        var invalid = JobSpecRules.ValidateImage(image);
        return new ImageCheck(image, invalid is null, invalid is null ? JobSpecRules.ImageWarnings(image) : [], invalid);
    }

    private static readonly QuotaHeadroom EmptyQuota = new(null, default, null, default, true, "No quota on the namespace.");

    private static QuotaHeadroom Quota(ClusterInventory inventory, ComputeTarget target, ResourceAmounts jobRequests)
    {
        var used = inventory.Pods.Snapshot().Where(p => p.Namespace == target.Namespace && !p.Terminated).Aggregate(ResourceAmounts.Zero, (sum, p) => sum + p.Requests);
        if (target.Quota is not { IsEmpty: false } quota)
        {
            return new QuotaHeadroom(null, used, null, jobRequests, true, $"No quota on namespace {target.Namespace}.");
        }

        var limit = new ResourceAmounts(
            quota.Cpu is { } cpu ? (long)Math.Ceiling(new k8s.Models.ResourceQuantity(cpu).ToDecimal() * 1000m) : long.MaxValue,
            quota.Memory is { } memory ? (long)new k8s.Models.ResourceQuantity(memory).ToDecimal() : long.MaxValue,
            quota.Gpu ?? long.MaxValue);
        var free = (limit - used).AtLeastZero();
        var fits = free.Fits(jobRequests);
        var explanation = fits
            ? $"Namespace {target.Namespace} quota has room: {JobFit.Describe(Finite(free))} free, the job needs {JobFit.Describe(jobRequests)}."
            : $"The job needs {JobFit.Describe(jobRequests)} but the quota of namespace {target.Namespace} has only {JobFit.Describe(Finite(free))} free; it waits until other jobs there end.";
        return new QuotaHeadroom(Finite(limit), used, Finite(free), jobRequests, fits, explanation);
    }

    private static ResourceAmounts Finite(ResourceAmounts a) => new(a.CpuMillis == long.MaxValue ? 0 : a.CpuMillis, a.MemoryBytes == long.MaxValue ? 0 : a.MemoryBytes, a.Gpus == long.MaxValue ? 0 : a.Gpus);

    internal static ResourceAmounts Multiply(ResourceAmounts a, int n) => new(a.CpuMillis * n, a.MemoryBytes * n, a.Gpus * n);

    private static InstanceType? Closest(IEnumerable<InstanceType> candidates, InstanceType wanted)
    {
        static double Distance(InstanceType t, InstanceType w) =>
            Math.Abs(Math.Log((t.Requests.CpuMillis + 1.0) / (w.Requests.CpuMillis + 1.0)))
            + Math.Abs(Math.Log((t.Requests.MemoryBytes + 1.0) / (w.Requests.MemoryBytes + 1.0)))
            + (Math.Abs(t.Limits.Gpus - w.Limits.Gpus) * 2.0)
            + (t.Limits.Gpus < w.Limits.Gpus ? 5.0 : 0.0);
        return candidates.OrderBy(t => Distance(t, wanted)).ThenBy(t => t.Name, StringComparer.Ordinal).FirstOrDefault();
    }

    private static Dictionary<string, string> ErrorMap(IReadOnlyList<Error> errors) =>
        errors.GroupBy(e => e.Field ?? string.Empty).ToDictionary(g => g.Key, g => string.Join(" ", g.Select(e => e.Message)), StringComparer.Ordinal);

    internal static string SearchText(string name, JobSpec spec)
    {
        var text = string.Join(' ', new[] { name, spec.DisplayName, spec.ExperimentName }.Concat(spec.Tags.Select(t => $"{t.Key}={t.Value}")).Where(s => !string.IsNullOrWhiteSpace(s))).ToLowerInvariant();
        return text.Length > 2048 ? text[..2048] : text;
    }

    private async Task<string> ClusterNameAsync(Guid clusterId, CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        return await db.Clusters.AsNoTracking().Where(c => c.Id == clusterId).Select(c => c.Name).FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false) ?? "(removed)";
    }

    private static string Title(string? reason) => reason switch
    {
        JobStatusMapping.OomKilled => "Out of memory",
        JobStatusMapping.ImagePullBackOff or JobStatusMapping.ErrImagePull => "Image could not be pulled",
        JobStatusMapping.InvalidImageName => "Invalid image name",
        JobStatusMapping.BackoffLimitExceeded => "Failed after all retries",
        JobStatusMapping.DeadlineExceeded => "Timed out",
        JobStatusMapping.NodeLost => "Node lost",
        JobStatusMapping.Deleted => "Job deleted outside Studio",
        "SubmitFailed" => "The cluster did not accept the job",
        _ => "Failed",
    };

    internal static string RoleOf(TrainingJob record, int rank)
    {
        if (record.Distribution == DistributionKind.None && record.InstanceCount <= 1)
        {
            return "main";
        }

        return record.Distribution switch
        {
            DistributionKind.PyTorch => rank == 0 ? "master" : "worker",
            DistributionKind.Mpi => rank == 0 ? "launcher" : "worker",
            DistributionKind.TensorFlow => rank < TfParameterServers(record) ? "ps" : "worker",
            _ => "worker",
        };
    }

    private static int TfParameterServers(TrainingJob record)
    {
        try
        {
            return JsonSerializer.Deserialize<JobSpec>(record.SpecJson, Json)?.Distribution.ParameterServerCount ?? 0;
        }
        catch (JsonException)
        {
            return 0;
        }
    }

    internal static JobPodView ToView(JobPod p, bool live) =>
        new(p.Name, p.Rank, p.Role, p.Phase, p.Node, p.Restarts, p.Reason, p.Message, p.ExitCode, p.StartedAt, p.FinishedAt, live, p.LogTail is not null);

    internal static JobPodView ToView(JobPodInfo p, TrainingJob record, bool hasTail)
    {
        var container = p.Containers.FirstOrDefault();
        var reason = p.Unschedulable ? JobStatusMapping.Unschedulable : container?.Reason ?? p.Reason;
        var message = p.Unschedulable ? SchedulingExplainer.Explain(p.SchedulingMessage) : container?.Message ?? p.Message;
        return new JobPodView(p.Name, p.Rank, RoleOf(record, p.Rank), p.Deleting ? "Terminating" : p.Phase, p.Node, p.Restarts, reason, message, container?.ExitCode, p.StartedAt, p.FinishedAt, true, hasTail);
    }

    internal static JobSummary ToSummary(TrainingJob r, string workspace) => new(
        workspace, r.Name, r.DisplayName, r.Experiment, r.Compute, r.InstanceType, r.InstanceCount, r.Distribution, r.State, r.Reason, r.SubmitterName, r.CreatedAt, r.StartedAt, r.EndedAt);

    /// <summary>The list row a <see cref="JobStatusChanged"/> describes.</summary>
    public static JobSummary ToSummary(JobStatusChanged e, string workspace) => new(
        workspace, e.Job, e.DisplayName, e.Experiment, e.Compute, e.InstanceType, e.InstanceCount, e.Distribution, e.State, e.Reason, e.Submitter, e.CreatedAt, e.StartedAt, e.EndedAt);

    private static readonly System.Linq.Expressions.Expression<Func<TrainingJob, SummaryRow>> SummaryColumns = j => new SummaryRow(
        j.Name, j.DisplayName, j.Experiment, j.Compute, j.InstanceType, j.InstanceCount, j.Distribution, j.State, j.Reason, j.SubmitterName, j.CreatedAt, j.StartedAt, j.EndedAt);

    private sealed record SummaryRow(string Name, string? DisplayName, string? Experiment, string Compute, string InstanceType, int InstanceCount, DistributionKind Distribution, JobState State, string? Reason, string Submitter, DateTimeOffset CreatedAt, DateTimeOffset? StartedAt, DateTimeOffset? EndedAt)
    {
        public JobSummary ToSummary(string workspace) => new(workspace, Name, DisplayName, Experiment, Compute, InstanceType, InstanceCount, Distribution, State, Reason, Submitter, CreatedAt, StartedAt, EndedAt);
    }

    private static List<JobEventView> Merge(List<JobEventView> recorded, IReadOnlyList<JobEventView> live)
    {
        var merged = recorded.ToDictionary(e => (e.Object, e.Reason, e.Message), e => e);
        foreach (var e in live)
        {
            merged[(e.Object, e.Reason, e.Message)] = merged.TryGetValue((e.Object, e.Reason, e.Message), out var old) && old.Count > e.Count ? old : e;
        }

        return [.. merged.Values];
    }

    private static string Plural(int n, string noun) => n == 1 ? $"1 {noun}" : string.Create(CultureInfo.InvariantCulture, $"{n} {noun}s");
}
