using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Studio.Domain.Common;
using Studio.Domain.InstanceTypes;
using Studio.Domain.Jobs;
using Studio.Domain.Workspaces;
using Studio.Infrastructure.InstanceTypes;
using Studio.Infrastructure.Kubernetes.Inventory;
using Studio.Infrastructure.Persistence;

namespace Studio.Infrastructure.Jobs;

/// <summary>
/// Submits training jobs: imports CLI v2 YAML, answers the pre-flight ("will this run?") and the manifest preview, and
/// submits — validates, resolves compute, instance type and image, records the job (Queued; concurrent submits share one
/// write, <see cref="JobRecordWriter"/>) and has its objects applied with server-side apply (<see cref="JobApplyQueue"/>).
/// A retry with the same request id returns the job it created and never creates a second one.
/// </summary>
public sealed class JobSubmissionService(
    IDbContextFactory<StudioDbContext> contexts,
    JobAccess access,
    JobResolver resolver,
    JobApplier applier,
    JobRecordWriter records,
    JobApplyQueue applies,
    InventoryRegistry inventories,
    InstanceTypeCatalog catalog,
    JobCode code,
    EnvironmentBuildService builds,
    IOptions<JobsOptions> options,
    TimeProvider clock,
    ILogger<JobSubmissionService> logger)
{
    /// <summary>Imports a CLI v2 command job YAML: the spec plus every unsupported key with its path and reason; errors name their path.</summary>
    public Result<JobImport> ImportYaml(string yaml) => CommandJobYaml.Import(yaml);

    /// <summary>
    /// Imports a CLI v2 command job YAML with the caller's overrides of its compute target (<c>azureml:NAME</c> or
    /// <c>NAME</c>) and instance type, e.g. the API's <c>?compute=</c> and <c>?instanceType=</c>.
    /// </summary>
    public Result<JobImport> ImportYaml(string yaml, string? compute, string? instanceType)
    {
        var imported = CommandJobYaml.Import(yaml);
        if (!imported.IsSuccess)
        {
            return imported;
        }

        var spec = imported.Value.Spec;
        if (!string.IsNullOrWhiteSpace(compute))
        {
            spec = spec with { Compute = ComputeTargetName.Parse(compute) };
        }

        if (!string.IsNullOrWhiteSpace(instanceType))
        {
            spec = spec with { InstanceType = instanceType.Trim() };
        }

        return imported.Value with { Spec = spec };
    }

    /// <summary>
    /// Submits a CLI v2 command job YAML in one call: imports it with the overrides (see
    /// <see cref="ImportYaml(string, string?, string?)"/>) and submits it; the answer lists the keys Studio does not run.
    /// </summary>
    public async Task<Result<JobSubmitted>> SubmitYamlAsync(Actor actor, string workspaceName, string yaml, string? compute, string? instanceType, string? requestId, CancellationToken cancellationToken)
    {
        var imported = ImportYaml(yaml, compute, instanceType);
        if (!imported.IsSuccess)
        {
            return Result<JobSubmitted>.Failure(imported.Errors);
        }

        var submitted = await SubmitAsync(actor, workspaceName, imported.Value.Spec, requestId, cancellationToken).ConfigureAwait(false);
        return submitted.IsSuccess ? submitted.Value with { Unsupported = imported.Value.Unsupported } : submitted;
    }

    /// <summary>The spec as CLI v2 YAML (download, clone-and-edit).</summary>
    public static string ToYaml(JobSpec spec) => CommandJobYamlExport.Export(spec);

    /// <inheritdoc cref="SubmitAsync(Actor, string, JobSpec, string?, CancellationToken)"/>
    public Task<Result<JobSubmitted>> SubmitAsync(Actor actor, string workspaceName, JobSpec spec, CancellationToken cancellationToken) =>
        SubmitAsync(actor, workspaceName, spec, null, cancellationToken);

    /// <summary>
    /// Submits a job: validates, resolves compute, instance type and image, records it (Queued) and queues the
    /// server-side apply of its objects: it answers Queued once the record is stored, and the job fails later through
    /// <see cref="TrainingJob.FailSubmit"/> if the cluster refuses it (with <see cref="JobsOptions.ApplyWait"/> set, the
    /// answer waits that long for the apply when a worker of the cluster is free, and a refused job answers Failed). A retry with the same <paramref name="requestId"/> returns the job it created
    /// (<see cref="JobSubmitted.Created"/> false) and never creates a second one.
    /// </summary>
    public async Task<Result<JobSubmitted>> SubmitAsync(Actor actor, string workspaceName, JobSpec spec, string? requestId, CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        var (workspace, denied) = await access.WorkspaceAsync(db, actor, workspaceName, WorkspaceRole.DataScientist, "submit jobs", cancellationToken).ConfigureAwait(false);
        if (denied is not null)
        {
            return denied;
        }

        if (requestId is { Length: > 128 })
        {
            return Error.Validation("requestId", "A request id is at most 128 characters.");
        }

        var name = JobNames.For(workspace!.Id, spec, requestId);
        var requestHash = requestId is null ? null : JobRequests.Hash(spec);
        // A retry finds its job by the key even when the body changed the name it derives.
        var existing = (requestId is null ? null : await db.Jobs.AsNoTracking().Where(j => j.WorkspaceId == workspace.Id && j.RequestId == requestId).OrderBy(j => j.CreatedAt).FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false))
            ?? await db.Jobs.AsNoTracking().FirstOrDefaultAsync(j => j.WorkspaceId == workspace.Id && j.Name == name, cancellationToken).ConfigureAwait(false);
        if (existing is not null)
        {
            return JobRequests.Repeat(workspace, existing, name, requestId, requestHash);
        }

        var resolved = await resolver.ResolveAsync(workspace, spec, cancellationToken).ConfigureAwait(false);
        if (!resolved.IsSuccess)
        {
            return Result<JobSubmitted>.Failure(resolved.Errors);
        }

        var codePlan = await code.PlanAsync(spec, sign: true, cancellationToken).ConfigureAwait(false);
        var inputPlan = await code.PlanInputsAsync(workspace.Id, spec, sign: true, cancellationToken).ConfigureAwait(false);
        var outputPlan = await code.PlanOutputsAsync(workspace.Id, name, spec, sign: true, cancellationToken).ConfigureAwait(false);
        var environmentPlan = await code.PlanEnvironmentAsync(spec, sign: true, cancellationToken).ConfigureAwait(false);
        if (!environmentPlan.IsSuccess || !codePlan.IsSuccess || !inputPlan.IsSuccess || !outputPlan.IsSuccess)
        {
            return Result<JobSubmitted>.Failure([.. codePlan.Errors, .. inputPlan.Errors, .. outputPlan.Errors, .. environmentPlan.Errors]);
        }

        var r = resolved.Value;
        var gang = r.Client is null ? GangScheduler.PodGroupLabel : await applier.GangAsync(r.Target.ClusterId, r.Client, cancellationToken).ConfigureAwait(false);
        var kubernetesName = JobNames.KubernetesName(workspace.Id, name);
        var hold = false;
        if (r.Client is not null && JobResolver.IsBuilt(spec))
        {
            // The image is built in the cluster first (or was already): the job's Job waits, suspended, while it builds.
            var build = await builds.EnsureAsync(r.Client, r.Target.ClusterId, r.Target.Namespace, workspace.Id, name, spec, r.Image, cancellationToken).ConfigureAwait(false);
            if (!build.IsSuccess)
            {
                return Result<JobSubmitted>.Failure(build.Errors);
            }

            hold = build.Value;
        }

        var plan = resolver.Plan(workspace, r, kubernetesName, inputPlan.Value.Apply(spec), gang) with { Code = codePlan.Value, Inputs = inputPlan.Value.Fetches, Outputs = outputPlan.Value, FetchImage = code.FetchImage, Environment = environmentPlan.Value, HoldForBuild = hold };
        var manifests = JobManifests.Build(plan);
        if (JobManifests.TooLarge(manifests) is { } tooLarge)
        {
            return tooLarge;
        }

        var record = TrainingJob.Submit(
            new JobSubmission(
                workspace.Id, name, requestId, spec.DisplayName, spec.ExperimentName, r.Target.Name, r.Target.ClusterId, r.Target.Namespace,
                r.InstanceType.Name, spec.InstanceCount, spec.Distribution.Kind, r.Image, actor.UserId, actor.DisplayName, JobViews.SearchText(name, spec),
                JsonSerializer.Serialize(spec with { Compute = r.Target.Name, InstanceType = r.InstanceType.Name }, JobViews.Json),
                CommandJobYamlExport.Export(spec), JobManifests.ToYaml(manifests), r.InstanceType.PodRequest, r.InstanceType.Limits)
            {
                KubernetesName = kubernetesName,
                RequestHash = requestHash,
            },
            clock.GetUtcNow());
        if (hold)
        {
            record.WaitForEnvironmentBuild(clock.GetUtcNow());
        }

        if (r.Client is null)
        {
            // Nothing to apply to: the job fails in the same write that records it.
            var problem = r.ClientProblem ?? "The cluster cannot be reached.";
            logger.LogWarning("Applying job {Workspace}/{Job} failed: {Problem}", workspace.Name, name, problem);
            record.FailSubmit(problem, clock.GetUtcNow());
        }

        var audit = $"compute {r.Target.Name}, instance type {r.InstanceType.Name} × {spec.InstanceCount}, image {r.Image}";
        try
        {
            await records.WriteAsync(
                d =>
                {
                    d.Jobs.Add(record);
                    d.Audit(clock, actor, "job.submit", $"{workspace.Name}/{name}", audit);
                },
                cancellationToken).ConfigureAwait(false);
        }
        catch (DbUpdateException)
        {
            // A concurrent submit with the same request id won the unique (workspace, name) index: answer with its job.
            await using var again = contexts.CreateDbContext();
            var winner = await again.Jobs.AsNoTracking().FirstOrDefaultAsync(j => j.WorkspaceId == workspace.Id && j.Name == name, cancellationToken).ConfigureAwait(false);
            return winner is null
                ? Error.Conflict("job_exists", $"Workspace '{workspace.Name}' already has a job named '{name}'. Choose another name.", "name")
                : JobRequests.Repeat(workspace, winner, name, requestId, requestHash);
        }

        if (r.Client is null)
        {
            return new JobSubmitted(name, record.State, Created: true);
        }

        var applied = applies.Enqueue(record.Id, r.Target.ClusterId, r.Client, r.Target.Namespace, kubernetesName, manifests, out var workerFree);
        if (workerFree && options.Value.ApplyWait > TimeSpan.Zero)
        {
            try
            {
                if (await applied.WaitAsync(options.Value.ApplyWait, clock, cancellationToken).ConfigureAwait(false) is not null)
                {
                    return new JobSubmitted(name, JobState.Failed, Created: true);
                }
            }
            catch (TimeoutException)
            {
                // Still applying: the job is Queued; the apply goes on in the background.
            }
        }

        return new JobSubmitted(name, record.State, Created: true);
    }

    /// <summary>"Will this job run?": fit now / will queue / never fits with the closest instance type, quota headroom, image sanity.</summary>
    public async Task<Result<JobPreflightReport>> PreflightAsync(Actor actor, string workspaceName, JobSpec spec, CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        var (workspace, denied) = await access.WorkspaceAsync(db, actor, workspaceName, WorkspaceRole.Reader, null, cancellationToken).ConfigureAwait(false);
        if (denied is not null)
        {
            return denied;
        }

        var errors = resolver.Validate(spec).ToList();
        var target = string.IsNullOrWhiteSpace(spec.Compute) ? null : workspace!.FindComputeTarget(spec.Compute);
        if (target is null)
        {
            if (!string.IsNullOrWhiteSpace(spec.Compute))
            {
                errors.Add(JobResolver.ComputeMissing(workspace!, spec.Compute));
            }

            return new JobPreflightReport(FitVerdict.NeverFits, errors.Count > 0 ? errors[0].Message : "Choose a compute target.", spec.InstanceType ?? InstanceType.DefaultName, default, default, spec.InstanceCount, [], null, [], JobResolver.EmptyQuota, resolver.ImageSanity(workspace!, spec, errors), JobResolver.ErrorMap(errors));
        }

        var chosen = target.ChooseInstanceType(spec.InstanceType);
        var typeName = string.IsNullOrWhiteSpace(spec.InstanceType) ? target.DefaultInstanceType : spec.InstanceType.Trim();
        var types = (await resolver.InstanceTypesAsync(target.ClusterId, cancellationToken).ConfigureAwait(false)).Where(t => target.Allows(t.Name)).ToList();
        var type = chosen.IsSuccess ? types.FirstOrDefault(t => t.Name == typeName) : null;
        if (!chosen.IsSuccess)
        {
            errors.AddRange(chosen.Errors);
        }
        else if (type is null)
        {
            errors.Add(Error.Validation("resources.instance_type", $"Instance type '{typeName}' does not exist on the cluster of '{target.Name}'. Available: {string.Join(", ", types.Select(t => t.Name))}."));
        }

        var image = resolver.ImageSanity(workspace!, spec, errors);
        var lease = await inventories.AcquireAsync(target.ClusterId, cancellationToken).ConfigureAwait(false);
        if (!lease.IsSuccess)
        {
            return new JobPreflightReport(FitVerdict.WillQueue, $"The cluster cannot be reached ({lease.Errors[0].Message}); the job would queue until it can.", typeName, type?.Requests ?? default, type?.Limits ?? default, spec.InstanceCount, [], null, [], JobResolver.EmptyQuota, image, JobResolver.ErrorMap(errors));
        }

        using (lease.Value)
        {
            var inventory = lease.Value.Inventory;
            await Task.WhenAny(inventory.FirstSync, Task.Delay(TimeSpan.FromSeconds(10), clock, cancellationToken)).ConfigureAwait(false);
            var quota = JobResolver.Quota(inventory, target, JobResolver.Multiply(type?.PodRequest ?? default, spec.InstanceCount));
            if (type is null)
            {
                return new JobPreflightReport(FitVerdict.NeverFits, errors.First(e => e.Field == "resources.instance_type").Message, typeName, default, default, spec.InstanceCount, [], null, [], quota, image, JobResolver.ErrorMap(errors));
            }

            var nodes = InstanceTypeAvailabilities.Nodes(inventory);
            var context = new FitContext(await catalog.ExtensionSelectorAsync(target.ClusterId, cancellationToken).ConfigureAwait(false), workspace!.Name, target.Name);
            var fit = JobResolver.Fit(nodes, type, context);
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

                foreach (var other in types.Where(t => t.Name != type.Name && JobResolver.CanStandIn(t, type)))
                {
                    var otherFit = JobResolver.Fit(nodes, other, context);
                    if (otherFit.FitsNow(n))
                    {
                        suggestions.Add($"Instance type {other.Name} ({JobFit.Describe(other.PodRequest)} per instance) fits {n} instance{(n == 1 ? string.Empty : "s")} now.");
                    }
                }

                if (verdict == FitVerdict.NeverFits)
                {
                    closest = JobResolver.Closest(types.Where(t => t.Name != type.Name && JobResolver.Fit(nodes, t, context).EverFits(n)), type)?.Name;
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
            if (JobResolver.NeverFitsQuota(target, type, n) is { } quotaError)
            {
                errors.Add(quotaError);
                verdict = FitVerdict.NeverFits;
                summary = quotaError.Message;
            }
            else if (!quota.Fits && verdict == FitVerdict.FitsNow)
            {
                verdict = FitVerdict.WillQueue;
                summary = "Will queue: " + quota.Explanation;
            }

            // One problem per field, as the form lists them (a field with two messages is one thing to fix).
            var problems = JobResolver.ErrorMap(errors).Count;
            if (problems > 0)
            {
                summary = $"{problems} problem{(problems == 1 ? string.Empty : "s")} to fix before submitting. " + summary;
            }

            return new JobPreflightReport(verdict, summary, type.Name, type.PodRequest, type.Limits, n, fit.Pools, closest, suggestions, quota, image, JobResolver.ErrorMap(errors));
        }
    }

    /// <summary>The YAML of exactly the objects a submit would apply (owner references are added at apply time).</summary>
    public Task<Result<string>> PreviewManifestsAsync(Actor actor, string workspaceName, JobSpec spec, CancellationToken cancellationToken) =>
        PreviewManifestsAsync(actor, workspaceName, spec, null, cancellationToken);

    /// <summary>
    /// The manifests as a submit with <paramref name="requestId"/> would apply them: the same request id gives the same
    /// generated name, so a form that previews and then submits with one id shows the name the job gets.
    /// </summary>
    public async Task<Result<string>> PreviewManifestsAsync(Actor actor, string workspaceName, JobSpec spec, string? requestId, CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        var (workspace, denied) = await access.WorkspaceAsync(db, actor, workspaceName, WorkspaceRole.Reader, null, cancellationToken).ConfigureAwait(false);
        if (denied is not null)
        {
            return denied;
        }

        var resolved = await resolver.ResolveAsync(workspace!, spec, cancellationToken).ConfigureAwait(false);
        if (!resolved.IsSuccess)
        {
            return Result<string>.Failure(resolved.Errors);
        }

        var jobName = JobNames.For(workspace!.Id, spec, string.IsNullOrWhiteSpace(requestId) ? "preview" : requestId);
        var codePlan = await code.PlanAsync(spec, sign: false, cancellationToken).ConfigureAwait(false);
        var inputPlan = await code.PlanInputsAsync(workspace!.Id, spec, sign: false, cancellationToken).ConfigureAwait(false);
        var outputPlan = await code.PlanOutputsAsync(workspace.Id, jobName, spec, sign: false, cancellationToken).ConfigureAwait(false);
        var environmentPlan = await code.PlanEnvironmentAsync(spec, sign: false, cancellationToken).ConfigureAwait(false);
        if (!environmentPlan.IsSuccess || !codePlan.IsSuccess || !inputPlan.IsSuccess || !outputPlan.IsSuccess)
        {
            return Result<string>.Failure([.. codePlan.Errors, .. inputPlan.Errors, .. outputPlan.Errors, .. environmentPlan.Errors]);
        }

        var r = resolved.Value;
        var gang = r.Client is null ? GangScheduler.PodGroupLabel : await applier.GangAsync(r.Target.ClusterId, r.Client, cancellationToken).ConfigureAwait(false);
        var name = JobNames.KubernetesName(workspace.Id, jobName);
        var manifests = JobManifests.Build(resolver.Plan(workspace, r, name, inputPlan.Value.Apply(spec), gang) with { Code = codePlan.Value, Inputs = inputPlan.Value.Fetches, Outputs = outputPlan.Value, FetchImage = code.FetchImage, Environment = environmentPlan.Value });
        return JobManifests.TooLarge(manifests) is { } tooLarge ? tooLarge : JobManifests.ToYaml(manifests);
    }
}
