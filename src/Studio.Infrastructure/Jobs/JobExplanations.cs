using Microsoft.EntityFrameworkCore;
using Studio.Domain.InstanceTypes;
using Studio.Domain.Jobs;
using Studio.Domain.Workspaces;
using Studio.Infrastructure.InstanceTypes;
using Studio.Infrastructure.Kubernetes.Inventory;
using Studio.Infrastructure.Persistence;

namespace Studio.Infrastructure.Jobs;

/// <summary>Explains a job that waits (the scheduler's words, the fit per pool, jobs ahead, what would fit now, or that it can never start) or failed.</summary>
public sealed class JobExplanations(IDbContextFactory<StudioDbContext> contexts, InventoryRegistry inventories, JobResolver resolver, InstanceTypeCatalog catalog)
{
    /// <summary>Why a queued job waits: the scheduler's words per pod in plain language, the fit per pool, jobs ahead, and what would fit now.</summary>
    public async Task<JobExplanation> PendingAsync(Workspace workspace, TrainingJob record, JobSpec spec, IReadOnlyList<JobPodView> pods, CancellationToken cancellationToken)
    {
        int ahead;
        await using (var db = contexts.CreateDbContext())
        {
            ahead = await db.Jobs.AsNoTracking().CountAsync(j => j.ClusterId == record.ClusterId && j.State == JobState.Queued && j.CreatedAt < record.CreatedAt, cancellationToken).ConfigureAwait(false);
        }

        var waiting = pods.Where(p => p.Reason == JobStatusMapping.Unschedulable).ToList();
        var detail = record.Message ?? (waiting.FirstOrDefault()?.Message ?? "Waiting for the pods to be created and scheduled.");
        var poolLines = new List<string>();
        var wouldFit = new List<string>();
        var inventory = inventories.Peek(record.ClusterId);
        var target = workspace.FindComputeTarget(record.Compute);
        JobFitResult? typeFit = null;
        if (inventory is not null && target is not null)
        {
            var types = await resolver.InstanceTypesAsync(record.ClusterId, cancellationToken).ConfigureAwait(false);
            var type = types.FirstOrDefault(t => t.Name == record.InstanceType);
            if (type is not null)
            {
                var nodes = InstanceTypeAvailabilities.Nodes(inventory);
                var context = new FitContext(await catalog.ExtensionSelectorAsync(record.ClusterId, cancellationToken).ConfigureAwait(false), workspace.Name, target.Name);
                var fit = JobResolver.Fit(nodes, type, context);
                typeFit = fit;
                poolLines.AddRange(fit.Pools.Select(p => p.Explanation));
                if (fit.NoMatchReason is { } none)
                {
                    poolLines.Add(none);
                }

                if (fit.FitNow > 0 && fit.FitNow < record.InstanceCount)
                {
                    wouldFit.Add($"{JobViews.Plural(fit.FitNow, "instance")} of {type.Name} fit now.");
                }

                foreach (var other in types.Where(t => t.Name != type.Name))
                {
                    if (JobResolver.Fit(nodes, other, context).FitsNow(record.InstanceCount))
                    {
                        wouldFit.Add($"Instance type {other.Name} ({JobFit.Describe(other.PodRequest)} per instance) fits now.");
                    }
                }
            }
        }

        var title = record.Reason == JobStatusMapping.Unschedulable
            ? $"Waiting for capacity: each instance needs {JobFit.Describe(record.Requests)}"
            : "Waiting to start";
        // The nodes decide it, not the scheduler's word: once they are listed, a job that cannot be placed even on empty
        // nodes is explained as such at once (under load the scheduler can take a while to mark hundreds of pods).
        var nodesKnown = record.Reason == JobStatusMapping.Unschedulable || inventory?.Nodes.FirstSync.IsCompletedSuccessfully == true;
        if (typeFit is not null && nodesKnown && !typeFit.EverFits(record.InstanceCount))
        {
            // Waiting would be a lie: even with every matching node empty the job cannot be placed (a gang needs all its pods at once).
            var most = typeFit.FitEmpty;
            var never = most == 0
                ? $"Cannot start on this cluster: no matching node is big enough for one instance of {record.InstanceType}"
                : $"Cannot start on this cluster: at most {JobViews.Plural(most, "instance")} of {record.InstanceType} fit even when the matching nodes are empty, and it needs {record.InstanceCount} placed together";
            var fix = most == 0 ? "another instance type" : $"at most {JobViews.Plural(most, "instance")} or another instance type";
            return new JobExplanation(ExplanationKind.NeverFits, never, detail, $"It will not start by itself. Cancel it, then re-run it with {fix}.", poolLines, null, wouldFit);
        }

        if (ahead > 0)
        {
            detail += $" {JobViews.Plural(ahead, "job")} submitted earlier {(ahead == 1 ? "is" : "are")} also waiting on this cluster.";
        }

        return new JobExplanation(ExplanationKind.Pending, title, detail, record.Hint ?? "It starts by itself when capacity frees.", poolLines, ahead, wouldFit);
    }

    /// <summary>Why a job failed, in plain words, with what to do.</summary>
    public static JobExplanation Failure(TrainingJob record) =>
        new(ExplanationKind.Failure, Title(record.Reason), record.Message ?? "The job failed.", record.Hint, [], null, []);

    private static string Title(string? reason) => reason switch
    {
        JobStatusMapping.OomKilled => "Out of memory",
        JobStatusMapping.ImagePullBackOff or JobStatusMapping.ErrImagePull => "Image could not be pulled",
        JobStatusMapping.InvalidImageName => "Invalid image name",
        JobStatusMapping.BackoffLimitExceeded => "Failed after all retries",
        JobStatusMapping.DeadlineExceeded => "Timed out",
        JobStatusMapping.NodeLost => "Node lost",
        JobStatusMapping.FetchFailed => "Code or inputs could not be fetched",
        JobStatusMapping.EnvironmentFailed => "Environment could not be prepared",
        JobStatusMapping.Deleted => "Job deleted outside Studio",
        TrainingJob.SubmitFailed => "The cluster did not accept the job",
        _ => "Failed",
    };
}
