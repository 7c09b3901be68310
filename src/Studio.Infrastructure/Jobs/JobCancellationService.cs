using System.Collections.Concurrent;
using k8s.Autorest;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Studio.Domain.Common;
using Studio.Domain.Workspaces;
using Studio.Infrastructure.Kubernetes;
using Studio.Infrastructure.Kubernetes.Inventory;
using Studio.Infrastructure.Persistence;

namespace Studio.Infrastructure.Jobs;

/// <summary>Cancels jobs: keeps their pods' log tails, deletes the Job (pods, Service and ConfigMap cascade) and records Canceled.</summary>
public sealed class JobCancellationService(
    IDbContextFactory<StudioDbContext> contexts,
    JobAccess access,
    KubernetesClientFactory clients,
    InventoryRegistry inventories,
    JobPodReader podReader,
    TimeProvider clock,
    ILogger<JobCancellationService> logger)
{
    private readonly ConcurrentDictionary<Guid, byte> _canceling = new();

    /// <summary>Whether a cancel of the job is in progress (the tracker leaves it alone meanwhile).</summary>
    internal bool IsCanceling(Guid jobId) => _canceling.ContainsKey(jobId);

    /// <summary>Cancels a job: keeps its pods' log tails, deletes the Job (pods, Service and ConfigMap cascade) and records Canceled.</summary>
    public async Task<Result<JobSummary>> CancelAsync(Actor actor, string workspaceName, string name, CancellationToken cancellationToken)
    {
        var found = await access.FindAsync(actor, workspaceName, name, WorkspaceRole.DataScientist, includeChildren: false, cancellationToken).ConfigureAwait(false);
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
        var (workspace, denied) = await access.WorkspaceAsync(db, actor, workspaceName, WorkspaceRole.DataScientist, "cancel jobs", cancellationToken).ConfigureAwait(false);
        if (denied is not null)
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
        catch (DbUpdateException)
        {
            // The tracker wrote the record (or inserted a pod this cancel also kept) meanwhile; cancel against the fresh record.
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
                await podReader.CaptureLogTailsAsync(client.Value, record, inventories.Peek(record.ClusterId), force: true, cancellationToken).ConfigureAwait(false);
                await JobApplier.DeleteOwnedAsync(client.Value, record, cancellationToken).ConfigureAwait(false);
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
        return JobViews.ToSummary(record, workspace.Name);
    }
}
