using System.Collections.Concurrent;
using System.Threading.Channels;
using k8s.Autorest;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Studio.Domain.Jobs;
using Studio.Infrastructure.Events;
using Studio.Infrastructure.Kubernetes;
using Studio.Infrastructure.Kubernetes.Inventory;
using Studio.Infrastructure.Leadership;
using Studio.Infrastructure.Persistence;

namespace Studio.Infrastructure.Jobs;

/// <summary>
/// Keeps jobs in step with the clusters: holds an inventory lease on every cluster with unfinished jobs, listens to the
/// shared Job and job-pod informers (one watch per cluster and kind), hands what they say to <see cref="TrainingJob.Observe"/>
/// (pods to <see cref="TrainingJob.ObservePod"/>, log tails and events through <see cref="JobPodReader"/> and
/// <see cref="JobClusterEvents"/>) and saves, coalesced per job and in batches; the save dispatches each job's
/// <see cref="JobStatusChanged"/>. Only the replica that leads (<see cref="ILeadership"/>) watches and writes; the others
/// follow: they read what the leader wrote every <see cref="JobTrackerOptions.FollowInterval"/> and dispatch it as
/// <see cref="JobChange.Elsewhere"/>, so their own pages and hub clients see every change. Should two trackers ever write
/// at once (SQLite replicas, a term that just ended), the record's <c>UpdatedAt</c> concurrency token lets one write each change.
/// </summary>
public sealed partial class JobTracker(
    IDbContextFactory<StudioDbContext> contexts,
    InventoryRegistry inventories,
    KubernetesClientFactory clients,
    JobApplyQueue applies,
    JobCancellationService cancellations,
    JobPodReader podReader,
    JobClusterEvents clusterEvents,
    IOptions<JobTrackerOptions> options,
    DomainEventDispatcher dispatcher,
    ILeadership leadership,
    TimeProvider clock,
    ILogger<JobTracker> logger) : BackgroundService
{
    private readonly ConcurrentDictionary<Guid, JobClusterWatch> _watches = new();
    private readonly Channel<JobKey> _queue = Channel.CreateUnbounded<JobKey>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ConcurrentDictionary<JobKey, byte> _pending = new();
    private readonly ConcurrentDictionary<JobKey, byte> _deleted = new();
    private readonly ConcurrentDictionary<Guid, DateTimeOffset> _published = new();
    private readonly ConcurrentDictionary<JobKey, int> _failures = new();
    private readonly SemaphoreSlim _refresh = new(1, 1);
    private volatile bool _leading;

    private JobTrackerOptions Options => options.Value;

    /// <summary>Starts tracking a cluster now (called after a submit so its first changes are not missed); only while this replica leads.</summary>
    public async Task WatchAsync(Guid clusterId, CancellationToken cancellationToken)
    {
        if (!_leading || _watches.ContainsKey(clusterId))
        {
            return;
        }

        await _refresh.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_leading)
            {
                await EnsureWatchAsync(clusterId, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            _refresh.Release();
        }
    }

    private void OnApplied(Guid clusterId, string @namespace, string name)
    {
        _ = WatchAsync(clusterId, CancellationToken.None).ContinueWith(t => logger.LogWarning(t.Exception, "Watching cluster {Cluster} failed", clusterId), CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        Enqueue(new JobKey(clusterId, @namespace, name));
    }

    /// <summary>Watches every cluster with unfinished jobs, lets go of the others, and re-checks every unfinished job.</summary>
    private async Task ScanAsync(CancellationToken cancellationToken)
    {
        List<(Guid Id, JobKey Key)> active;
        List<JobKey> finishedElsewhere;
        await using (var db = contexts.CreateDbContext())
        {
            JobState[] terminal = [JobState.Completed, JobState.Failed, JobState.Canceled];
            active = (await db.Jobs.AsNoTracking().Where(j => !terminal.Contains(j.State)).Select(j => new { j.Id, j.ClusterId, j.Namespace, j.KubernetesName }).ToListAsync(cancellationToken).ConfigureAwait(false))
                .Select(j => (j.Id, new JobKey(j.ClusterId, j.Namespace, j.KubernetesName))).ToList();

            // Jobs another replica (or a cancel) finished lately that this replica has not published since: publish the end.
            var recent = clock.GetUtcNow() - Options.PublishedMemory;
            finishedElsewhere = (await db.Jobs.AsNoTracking().Where(j => terminal.Contains(j.State) && j.UpdatedAt > recent)
                    .Select(j => new { j.Id, j.ClusterId, j.Namespace, j.KubernetesName, j.UpdatedAt }).ToListAsync(cancellationToken).ConfigureAwait(false))
                .Where(j => !_published.TryGetValue(j.Id, out var published) || published != j.UpdatedAt)
                .Select(j => new JobKey(j.ClusterId, j.Namespace, j.KubernetesName)).ToList();
        }

        var clusters = active.Select(a => a.Key.ClusterId).ToHashSet();
        await _refresh.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            foreach (var id in clusters)
            {
                await EnsureWatchAsync(id, cancellationToken).ConfigureAwait(false);
            }

            foreach (var (id, watch) in _watches)
            {
                if (!clusters.Contains(id) && clock.GetUtcNow() - watch.Since > TimeSpan.FromMinutes(1) && _watches.TryRemove(id, out _))
                {
                    watch.Dispose();
                }
            }
        }
        finally
        {
            _refresh.Release();
        }

        // Forget finished jobs past the memory (they are not published again); an unfinished job's entry stays, or a job
        // running unchanged for longer would be published again on every scan.
        var running = active.Select(a => a.Id).ToHashSet();
        foreach (var (id, published) in _published)
        {
            if (!running.Contains(id) && clock.GetUtcNow() - published > Options.PublishedMemory)
            {
                _published.TryRemove(id, out _);
            }
        }

        foreach (var key in active.Select(a => a.Key).Concat(finishedElsewhere))
        {
            Enqueue(key);
        }
    }

    private async Task EnsureWatchAsync(Guid clusterId, CancellationToken cancellationToken)
    {
        if (_watches.ContainsKey(clusterId))
        {
            return;
        }

        var lease = await inventories.AcquireAsync(clusterId, cancellationToken).ConfigureAwait(false);
        if (!lease.IsSuccess)
        {
            logger.LogInformation("Cannot track jobs on cluster {Cluster}: {Problem}", clusterId, lease.Errors[0].Message);
            return;
        }

        var watch = new JobClusterWatch(clusterId, lease.Value, clock.GetUtcNow(), Enqueue, key => _deleted[key] = 0);
        _watches[clusterId] = watch;
    }

    private void Enqueue(JobKey key)
    {
        if (_leading && _pending.TryAdd(key, 0))
        {
            _queue.Writer.TryWrite(key);
        }
    }

    private async Task ProcessLoopAsync(CancellationToken cancellationToken)
    {
        var batch = new List<JobKey>();
        try
        {
            while (await _queue.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                // Let a burst of watch events for the same jobs settle into one write.
                await Task.Delay(Options.BatchDelay, clock, cancellationToken).ConfigureAwait(false);
                batch.Clear();
                while (batch.Count < Options.MaxBatch && _queue.Reader.TryRead(out var key))
                {
                    _pending.TryRemove(key, out _);
                    batch.Add(key);
                }

                try
                {
                    await ProcessAsync(batch, cancellationToken).ConfigureAwait(false);
                }
                catch (DbUpdateException e) when (e is DbUpdateConcurrencyException || Retry(batch))
                {
                    // Someone changed one of these jobs meanwhile (a cancel; another replica that wrote the same change or
                    // inserted the same pod first): look again at what is stored now.
                    foreach (var key in batch)
                    {
                        Enqueue(key);
                    }
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    logger.LogWarning(e, "Updating {Count} job records failed", batch.Count);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>Counts a failed write of these jobs; false once one of them failed three times in a row (then it is logged).</summary>
    private bool Retry(IReadOnlyList<JobKey> batch)
    {
        var again = true;
        foreach (var key in batch)
        {
            again &= _failures.AddOrUpdate(key, 1, (_, n) => n + 1) <= 3;
        }

        if (!again)
        {
            foreach (var key in batch)
            {
                _failures.TryRemove(key, out _);
            }
        }

        return again;
    }

    private async Task ProcessAsync(IReadOnlyList<JobKey> batch, CancellationToken cancellationToken)
    {
        var changed = new List<TrainingJob>();
        var changedElsewhere = new List<TrainingJob>();
        await using var db = contexts.CreateDbContext();
        foreach (var group in batch.GroupBy(k => k.ClusterId))
        {
            // Without a watch (no unfinished job on this cluster here any more) only finished jobs are looked at.
            _watches.TryGetValue(group.Key, out var watch);
            var names = group.Select(k => k.Name).Distinct().ToList();
            var records = await db.Jobs.Include(j => j.Transitions).Include(j => j.Pods).AsSplitQuery()
                .Where(j => j.ClusterId == group.Key && names.Contains(j.KubernetesName))
                .ToListAsync(cancellationToken).ConfigureAwait(false);
            var ended = new List<TrainingJob>();
            foreach (var record in records.Where(r => group.Any(k => k.Namespace == r.Namespace && k.Name == r.KubernetesName)))
            {
                var finished = record.IsTerminal;
                if (!finished && watch is null)
                {
                    continue;
                }

                if (!finished && await UpdateAsync(watch!, record, ended, cancellationToken).ConfigureAwait(false))
                {
                    changed.Add(record);
                }
                else if (ChangedElsewhere(record, finished))
                {
                    changedElsewhere.Add(record);
                }
            }

            if (ended.Count > 0)
            {
                await clusterEvents.RecordEndedAsync(group.Key, ended, cancellationToken).ConfigureAwait(false);
            }
        }

        // Saving dispatches the jobs' JobStatusChanged events (one per job, every change of this batch folded in).
        if (db.ChangeTracker.HasChanges())
        {
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }

        foreach (var key in batch)
        {
            _failures.TryRemove(key, out _);
        }

        foreach (var record in changed.Concat(changedElsewhere))
        {
            _published[record.Id] = record.UpdatedAt;
        }

        await dispatcher.DispatchAsync([.. changedElsewhere.Select(r => r.Describe(JobChange.Elsewhere))], cancellationToken).ConfigureAwait(false);
    }

    /// <summary>True when someone else changed the record since this replica published it (a finished job: only within <see cref="JobTrackerOptions.PublishedMemory"/>).</summary>
    private bool ChangedElsewhere(TrainingJob record, bool finished)
    {
        if (_published.TryGetValue(record.Id, out var published) && published == record.UpdatedAt)
        {
            return false;
        }

        return !finished || clock.GetUtcNow() - record.UpdatedAt < Options.PublishedMemory;
    }

    /// <summary>Applies what the cluster says to one job. True when anything users see changed.</summary>
    private async Task<bool> UpdateAsync(JobClusterWatch watch, TrainingJob record, List<TrainingJob> ended, CancellationToken cancellationToken)
    {
        if (cancellations.IsCanceling(record.Id) || applies.IsPending(record.Id))
        {
            return false;
        }

        var inventory = watch.Inventory;
        var key = new JobKey(record.ClusterId, record.Namespace, record.KubernetesName);
        // Another workspace's Job of the same name (recorded before names were unique per namespace) is not this one's.
        var job = inventory.Jobs.TryGet($"{record.Namespace}/{record.KubernetesName}", out var found) && found is not null && record.Owns(found.WorkspaceId) ? found : null;
        var pods = watch.PodsOf(record);
        JobObservation observation;
        if (job is null)
        {
            var missing = _deleted.ContainsKey(key)
                || (inventory.Jobs.Health.State == InformerState.Synced && clock.GetUtcNow() - record.CreatedAt > Options.MissingGrace && record.Reason != TrainingJob.SubmitFailed);
            // A Queued job never seen there was not deleted: its apply was lost (or waits elsewhere); it is applied instead.
            if (!missing || await applies.ReapplyLostAsync(record, _deleted.ContainsKey(key), clients, cancellationToken).ConfigureAwait(false))
            {
                return false;
            }

            observation = JobObservation.Missing;
        }
        else
        {
            observation = new JobObservation(true, job.Conditions, job.Active, job.Succeeded, job.Failed, [.. pods.Select(p => p.ToObservation())], record.InstanceCount);
        }

        var now = clock.GetUtcNow();
        var visible = false;
        foreach (var pod in pods)
        {
            visible |= JobPodReader.ObservePod(record, pod, now);
        }

        visible |= record.Observe(observation, now, pods.Select(p => p.StartedAt).Where(t => t is not null).Min());
        var isEnded = record.IsTerminal;
        if (isEnded)
        {
            ended.Add(record);
        }

        var needsTails = job is not null && (isEnded || pods.Any(p => p.Ended && record.Pods.First(r => r.Name == p.Name).LogTail is null));
        if (needsTails || (isEnded && job is not null))
        {
            var client = await clients.GetAsync(record.ClusterId, cancellationToken).ConfigureAwait(false);
            if (client.IsSuccess)
            {
                try
                {
                    if (needsTails)
                    {
                        await podReader.CaptureLogTailsAsync(client.Value, record, inventory, force: isEnded, cancellationToken).ConfigureAwait(false);
                    }

                    if (record.State == JobState.Failed && !job!.Conditions.Any(c => c.Status && c.Type is "Failed" or "Complete"))
                    {
                        // Kubernetes would retry this forever (an image that cannot be pulled): stop it and free its nodes.
                        await JobApplier.DeleteOwnedAsync(client.Value, record, cancellationToken).ConfigureAwait(false);
                    }
                }
                catch (Exception e) when (e is HttpOperationException or HttpRequestException)
                {
                    logger.LogInformation("Reading logs/events of {Job} failed: {Problem}", record.Name, e.Message);
                }
            }
        }

        if (isEnded)
        {
            _deleted.TryRemove(key, out _);
        }

        return visible;
    }
}
