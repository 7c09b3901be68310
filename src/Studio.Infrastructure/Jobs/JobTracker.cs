using System.Collections.Concurrent;
using System.Threading.Channels;
using k8s;
using k8s.Autorest;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Studio.Domain.Jobs;
using Studio.Infrastructure.Events;
using Studio.Infrastructure.Kubernetes;
using Studio.Infrastructure.Kubernetes.Inventory;
using Studio.Infrastructure.Persistence;

namespace Studio.Infrastructure.Jobs;

/// <summary>
/// Keeps job records in step with the clusters: holds an inventory lease on every cluster that has unfinished jobs,
/// listens to the shared Job and job-pod informers (one watch per cluster and kind, never per user), maps what they say
/// through <see cref="JobStatusMapping"/> and <see cref="JobLifecycle"/>, records transitions, pod placements, events and
/// log tails, stops jobs whose image can never be pulled, and raises <see cref="JobService.JobChanged"/>.
/// Changes are coalesced per job and written in batches.
/// <para>
/// Every studio replica runs a tracker (each replica's pages and hub clients are fed by its own <see cref="JobService.JobChanged"/>).
/// The record's <c>UpdatedAt</c> concurrency token lets one replica write each change; a replica that finds a record
/// changed by someone else (another replica, a cancel) since it last published it publishes what it reads, so its own
/// clients see every change too.
/// </para>
/// </summary>
public sealed class JobTracker(
    IDbContextFactory<StudioDbContext> contexts,
    InventoryRegistry inventories,
    KubernetesClientFactory clients,
    JobService jobs,
    IOptions<JobsOptions> options,
    DomainEventDispatcher dispatcher,
    TimeProvider clock,
    ILogger<JobTracker> logger) : BackgroundService
{
    private readonly ConcurrentDictionary<Guid, Watch> _watches = new();
    private readonly Channel<JobKey> _queue = Channel.CreateUnbounded<JobKey>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ConcurrentDictionary<JobKey, byte> _pending = new();
    private readonly ConcurrentDictionary<JobKey, byte> _deleted = new();
    private readonly ConcurrentDictionary<Guid, DateTimeOffset> _published = new();
    private readonly ConcurrentDictionary<JobKey, int> _failures = new();
    private readonly SemaphoreSlim _refresh = new(1, 1);

    /// <summary>How often the tracker looks for clusters with unfinished jobs and re-checks every unfinished job.</summary>
    public TimeSpan ScanInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// How long after a job finished (its last change) this replica still publishes it when another replica wrote the
    /// end, and remembers what it published about it.
    /// </summary>
    public TimeSpan PublishedMemory { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>A job is treated as deleted when its Job object is absent this long after submit (the informer has caught up by then).</summary>
    public TimeSpan MissingGrace { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Starts tracking a cluster now (called after a submit so its first changes are not missed).</summary>
    public async Task WatchAsync(Guid clusterId, CancellationToken cancellationToken)
    {
        if (_watches.ContainsKey(clusterId))
        {
            return;
        }

        await _refresh.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await EnsureWatchAsync(clusterId, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _refresh.Release();
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        jobs.Submitted += OnSubmitted;
        var processor = Task.Run(() => ProcessLoopAsync(stoppingToken), CancellationToken.None);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    await ScanAsync(stoppingToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    logger.LogWarning(e, "Job tracker scan failed");
                }

                await Task.Delay(ScanInterval, clock, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            jobs.Submitted -= OnSubmitted;
            _queue.Writer.TryComplete();
            await processor.ConfigureAwait(false);
            foreach (var watch in _watches.Values)
            {
                watch.Dispose();
            }

            _watches.Clear();
        }
    }

    private void OnSubmitted(Guid clusterId, string @namespace, string name)
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
            active = (await db.Jobs.AsNoTracking().Where(j => !terminal.Contains(j.State)).Select(j => new { j.Id, j.ClusterId, j.Namespace, j.Name }).ToListAsync(cancellationToken).ConfigureAwait(false))
                .Select(j => (j.Id, new JobKey(j.ClusterId, j.Namespace, j.Name))).ToList();

            // Jobs another replica (or a cancel) finished lately that this replica has not published since: publish the end.
            var recent = clock.GetUtcNow() - PublishedMemory;
            finishedElsewhere = (await db.Jobs.AsNoTracking().Where(j => terminal.Contains(j.State) && j.UpdatedAt > recent)
                    .Select(j => new { j.Id, j.ClusterId, j.Namespace, j.Name, j.UpdatedAt }).ToListAsync(cancellationToken).ConfigureAwait(false))
                .Where(j => !_published.TryGetValue(j.Id, out var published) || published != j.UpdatedAt)
                .Select(j => new JobKey(j.ClusterId, j.Namespace, j.Name)).ToList();
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
            if (!running.Contains(id) && clock.GetUtcNow() - published > PublishedMemory)
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

        var watch = new Watch(clusterId, lease.Value, clock.GetUtcNow(), this);
        _watches[clusterId] = watch;
    }

    private void Enqueue(JobKey key)
    {
        if (_pending.TryAdd(key, 0))
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
                await Task.Delay(TimeSpan.FromMilliseconds(50), clock, cancellationToken).ConfigureAwait(false);
                batch.Clear();
                while (batch.Count < 256 && _queue.Reader.TryRead(out var key))
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
                .Where(j => j.ClusterId == group.Key && names.Contains(j.Name))
                .ToListAsync(cancellationToken).ConfigureAwait(false);
            var ended = new List<TrainingJob>();
            foreach (var record in records.Where(r => group.Any(k => k.Namespace == r.Namespace && k.Name == r.Name)))
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
                await RecordEventsAsync(group.Key, ended, cancellationToken).ConfigureAwait(false);
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

    /// <summary>
    /// True when the record was changed by someone else since this replica last published it (or this replica never
    /// published it). A finished job is published so only within <see cref="PublishedMemory"/> of its last change.
    /// </summary>
    private bool ChangedElsewhere(TrainingJob record, bool finished)
    {
        if (_published.TryGetValue(record.Id, out var published) && published == record.UpdatedAt)
        {
            return false;
        }

        return !finished || clock.GetUtcNow() - record.UpdatedAt < PublishedMemory;
    }

    /// <summary>Applies what the cluster says to one job. True when anything users see changed.</summary>
    private async Task<bool> UpdateAsync(Watch watch, TrainingJob record, List<TrainingJob> ended, CancellationToken cancellationToken)
    {
        if (jobs.IsCanceling(record.Id))
        {
            return false;
        }

        var inventory = watch.Inventory;
        var key = new JobKey(record.ClusterId, record.Namespace, record.Name);
        inventory.Jobs.TryGet($"{record.Namespace}/{record.Name}", out var job);
        var pods = watch.PodsOf(record.Namespace, record.Name);
        JobObservation observation;
        if (job is null)
        {
            var missing = _deleted.ContainsKey(key)
                || (inventory.Jobs.Health.State == InformerState.Synced && clock.GetUtcNow() - record.CreatedAt > MissingGrace && record.Reason != TrainingJob.SubmitFailed);
            if (!missing)
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
            visible |= JobService.ObservePod(record, pod, now);
        }

        var status = JobStatusMapping.Map(observation);
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
                        await jobs.CaptureLogTailsAsync(client.Value, record, inventory, force: isEnded, cancellationToken).ConfigureAwait(false);
                    }

                    if (isEnded && status.State == JobState.Failed && !job!.Conditions.Any(c => c.Status && c.Type is "Failed" or "Complete"))
                    {
                        // Kubernetes would retry this forever (an image that cannot be pulled): stop it and free its nodes.
                        await JobApplier.DeleteAsync(client.Value, record.Namespace, record.Name, cancellationToken).ConfigureAwait(false);
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

    /// <summary>
    /// Keeps the events of jobs that just ended (the cluster forgets them after an hour): one list per namespace for the
    /// whole batch, not one per job, so the tracker stays inside the cluster's request budget.
    /// </summary>
    private async Task RecordEventsAsync(Guid clusterId, IReadOnlyList<TrainingJob> ended, CancellationToken cancellationToken)
    {
        var client = await clients.GetAsync(clusterId, cancellationToken).ConfigureAwait(false);
        if (!client.IsSuccess)
        {
            return;
        }

        var max = options.Value.MaxEventsPerJob;
        foreach (var byNamespace in ended.GroupBy(r => r.Namespace, StringComparer.Ordinal))
        {
            IList<k8s.Models.Corev1Event> events;
            try
            {
                events = (await client.Value.CoreV1.ListNamespacedEventAsync(byNamespace.Key, cancellationToken: cancellationToken).ConfigureAwait(false)).Items;
            }
            catch (Exception e) when (e is HttpOperationException or HttpRequestException)
            {
                logger.LogInformation("Reading events of namespace {Namespace} failed: {Problem}", byNamespace.Key, e.Message);
                continue;
            }

            foreach (var record in byNamespace)
            {
                foreach (var e in events.Where(e => JobService.BelongsTo(record.Name, e.InvolvedObject?.Name)).OrderBy(e => e.LastTimestamp ?? e.EventTime ?? e.Metadata.CreationTimestamp))
                {
                    var view = JobService.ToView(e);
                    record.KeepEvent(e.Metadata.Uid ?? e.Metadata.Name, view.At, view.Type, view.Reason, view.Message, view.Object, view.Count, max, clock.GetUtcNow());
                }
            }
        }
    }

    private readonly record struct JobKey(Guid ClusterId, string Namespace, string Name);

    /// <summary>The tracker's use of one cluster's inventory: an index of job pods by job, and the handlers that queue work.</summary>
    private sealed class Watch : IDisposable
    {
        private readonly InventoryLease _lease;
        private readonly JobTracker _tracker;
        private readonly Dictionary<string, Dictionary<string, JobPodInfo>> _podsByJob = new(StringComparer.Ordinal);

        public Watch(Guid clusterId, InventoryLease lease, DateTimeOffset since, JobTracker tracker)
        {
            ClusterId = clusterId;
            _lease = lease;
            _tracker = tracker;
            Since = since;
            Inventory.Jobs.ItemChanged += OnJob;
            Inventory.JobPods.ItemChanged += OnPod;
            Inventory.Jobs.Relisted += OnJobsRelisted;
            Inventory.JobPods.Relisted += RebuildPods;
            RebuildPods();
        }

        public Guid ClusterId { get; }

        public DateTimeOffset Since { get; }

        public ClusterInventory Inventory => _lease.Inventory;

        public IReadOnlyList<JobPodInfo> PodsOf(string @namespace, string job)
        {
            lock (_podsByJob)
            {
                return _podsByJob.TryGetValue($"{@namespace}/{job}", out var pods) ? [.. pods.Values] : [];
            }
        }

        private void OnJob(JobObjectInfo? old, JobObjectInfo? current)
        {
            var info = current ?? old;
            if (info is null)
            {
                return;
            }

            var key = new JobKey(ClusterId, info.Namespace, info.Name);
            if (current is null)
            {
                _tracker._deleted[key] = 0;
            }

            _tracker.Enqueue(key);
        }

        private void OnPod(JobPodInfo? old, JobPodInfo? current)
        {
            lock (_podsByJob)
            {
                if (old is not null && _podsByJob.TryGetValue($"{old.Namespace}/{old.Job}", out var before))
                {
                    before.Remove(old.Name);
                }

                if (current is not null)
                {
                    var jobKey = $"{current.Namespace}/{current.Job}";
                    if (!_podsByJob.TryGetValue(jobKey, out var pods))
                    {
                        _podsByJob[jobKey] = pods = new Dictionary<string, JobPodInfo>(StringComparer.Ordinal);
                    }

                    pods[current.Name] = current;
                }
            }

            var info = current ?? old;
            if (info is not null && info.Job.Length > 0)
            {
                _tracker.Enqueue(new JobKey(ClusterId, info.Namespace, info.Job));
            }
        }

        private void OnJobsRelisted()
        {
            foreach (var job in Inventory.Jobs.Snapshot())
            {
                _tracker.Enqueue(new JobKey(ClusterId, job.Namespace, job.Name));
            }
        }

        private void RebuildPods()
        {
            lock (_podsByJob)
            {
                _podsByJob.Clear();
                foreach (var pod in Inventory.JobPods.Snapshot())
                {
                    var jobKey = $"{pod.Namespace}/{pod.Job}";
                    if (!_podsByJob.TryGetValue(jobKey, out var pods))
                    {
                        _podsByJob[jobKey] = pods = new Dictionary<string, JobPodInfo>(StringComparer.Ordinal);
                    }

                    pods[pod.Name] = pod;
                }
            }
        }

        public void Dispose()
        {
            Inventory.Jobs.ItemChanged -= OnJob;
            Inventory.JobPods.ItemChanged -= OnPod;
            Inventory.Jobs.Relisted -= OnJobsRelisted;
            Inventory.JobPods.Relisted -= RebuildPods;
            _lease.Dispose();
        }
    }
}
