using System.Collections.Concurrent;
using System.Net;
using System.Threading.Channels;
using k8s;
using k8s.Autorest;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Studio.Domain.Jobs;
using Studio.Infrastructure.Events;
using Studio.Infrastructure.Kubernetes;
using Studio.Infrastructure.Persistence;

namespace Studio.Infrastructure.Jobs;

/// <summary>
/// Applies submitted jobs' objects in the background, once their records are durably Queued: one queue per cluster,
/// drained by a few workers whose requests go through that cluster's client (so they wait for its request budget
/// instead of holding the submitter's HTTP answer). One server-side apply per object, as a synchronous submit did; the
/// client retries transient failures (<see cref="TransientRetryHandler"/>). A refusal fails the job through
/// <see cref="TrainingJob.FailSubmit"/>; a failure that outlasts the retries leaves it Queued, waiting for the cluster
/// (<see cref="TrainingJob.WaitForCluster"/>), and the tracker applies it again (<see cref="ReapplyLostAsync"/>). A job
/// canceled while its apply waits is not applied (one canceled during its apply is deleted again). Until a job is
/// applied, the tracker does not take its absence on the cluster as a deletion.
/// </summary>
public sealed class JobApplyQueue(
    JobApplier applier,
    IDbContextFactory<StudioDbContext> contexts,
    IOptions<JobsOptions> options,
    TimeProvider clock,
    ILogger<JobApplyQueue> logger) : IDomainEventHandler<JobStatusChanged>, IAsyncDisposable, IDisposable
{
    private readonly ConcurrentDictionary<Guid, Lazy<ClusterQueue>> _clusters = new();
    private readonly ConcurrentDictionary<Guid, Work> _pending = new();
    private readonly CancellationTokenSource _stopping = new();

    /// <summary>Raised after a job's objects were applied (cluster, namespace, name): the tracker starts watching at once.</summary>
    internal event Action<Guid, string, string>? Applied;

    /// <summary>Whether the job's objects are still to be applied by this replica.</summary>
    internal bool IsPending(Guid jobId) => _pending.ContainsKey(jobId);

    private int Concurrency => Math.Max(1, options.Value.ApplyConcurrency);

    /// <summary>Jobs waiting for (or in) their apply on this replica.</summary>
    public int PendingCount => _pending.Count;

    /// <summary>
    /// Queues the apply of a recorded job's objects. The task ends with the problem once the cluster refused the job (it
    /// failed to submit), else with null: applied, ended first, or waiting for the cluster. <paramref name="workerFree"/> says whether a worker of
    /// the cluster was free for it (else it waits behind other applies).
    /// </summary>
    internal Task<string?> Enqueue(Guid jobId, Guid clusterId, IKubernetes client, string @namespace, string name, IReadOnlyList<ManifestObject> manifests, out bool workerFree)
    {
        var work = new Work(jobId, clusterId, client, @namespace, name, manifests, new TaskCompletionSource<string?>(TaskCreationOptions.RunContinuationsAsynchronously));
        var queue = _clusters.GetOrAdd(clusterId, _ => new Lazy<ClusterQueue>(() => new ClusterQueue(this))).Value;
        _pending[jobId] = work;
        workerFree = Interlocked.Increment(ref queue.InFlight) <= queue.Workers.Count;
        if (!queue.Channel.Writer.TryWrite(work))
        {
            _pending.TryRemove(jobId, out _);
            Interlocked.Decrement(ref queue.InFlight);
            work.Done.TrySetResult("The studio is stopping.");
        }

        return work.Done.Task;
    }

    /// <summary>
    /// Applies (again) a Queued job whose objects were never seen on the cluster, rather than failing it as deleted: its
    /// apply was lost to a stop or crash, or waits on another replica (server-side apply is idempotent). True when it is
    /// queued here (or left Queued while the cluster cannot be reached: the next scan tries again); false when its objects
    /// were seen (<paramref name="seenDeleted"/>, or the record says so), so their absence is a deletion.
    /// </summary>
    internal async Task<bool> ReapplyLostAsync(TrainingJob record, bool seenDeleted, KubernetesClientFactory clients, CancellationToken cancellationToken)
    {
        if (seenDeleted || record.State != JobState.Queued || record.ObservedAt is not null || record.StartedAt is not null || record.ManifestsYaml.Length == 0)
        {
            return false;
        }

        if (IsPending(record.Id))
        {
            return true;
        }

        IReadOnlyList<ManifestObject> manifests;
        try
        {
            manifests = StoredManifests.Read(record.ManifestsYaml);
        }
        catch (YamlDotNet.Core.YamlException e)
        {
            logger.LogWarning("The stored objects of job {Namespace}/{Job} cannot be read: {Problem}", record.Namespace, record.Name, e.Message);
            return false;
        }

        if (!manifests.Any(o => o.Kind == "Job"))
        {
            return false;
        }

        var client = await clients.GetAsync(record.ClusterId, cancellationToken).ConfigureAwait(false);
        if (!client.IsSuccess)
        {
            return true;
        }

        logger.LogInformation("Job {Namespace}/{Job} is Queued and was never seen on its cluster: applying it", record.Namespace, record.Name);
        _ = Enqueue(record.Id, record.ClusterId, client.Value, record.Namespace, record.KubernetesName, manifests, out _);
        return true;
    }

    /// <summary>A job canceled (or otherwise ended) while its apply waits is not applied; one being applied is deleted after.</summary>
    public ValueTask HandleAsync(JobStatusChanged domainEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(domainEvent);
        if (JobLifecycle.IsTerminal(domainEvent.State) && _pending.TryGetValue(domainEvent.JobId, out var work))
        {
            work.Ended = true;
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>Stops taking work and lets the workers finish what is queued (bounded by the caller's patience).</summary>
    public async ValueTask DisposeAsync()
    {
        var queues = _clusters.Values.Select(q => q.Value).ToList();
        foreach (var queue in queues)
        {
            queue.Channel.Writer.TryComplete();
        }

        var all = Task.WhenAll(queues.SelectMany(q => q.Workers));
        if (await Task.WhenAny(all, Task.Delay(TimeSpan.FromSeconds(10))).ConfigureAwait(false) != all)
        {
            await _stopping.CancelAsync().ConfigureAwait(false);
            await all.ConfigureAwait(false);
        }

        _stopping.Dispose();
    }

    /// <summary>Stops at once: queued applies are dropped, running ones canceled (a container disposed synchronously).</summary>
    public void Dispose()
    {
        foreach (var queue in _clusters.Values.Select(q => q.Value))
        {
            queue.Channel.Writer.TryComplete();
        }

        _stopping.Cancel();
    }

    private async Task WorkAsync(ClusterQueue queue)
    {
        await foreach (var work in queue.Channel.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            try
            {
                var (refused, waiting) = await ApplyAsync(work).ConfigureAwait(false);
                if ((refused ?? waiting) is { } problem && !work.Ended)
                {
                    await RecordAsync(work, problem, refused is not null).ConfigureAwait(false);
                }

                // No longer pending before anyone hears of it: the tracker then looks at the job as at any other.
                _pending.TryRemove(work.JobId, out _);
                work.Done.TrySetResult(refused);
                if (refused is null && waiting is null && !work.Ended)
                {
                    Applied?.Invoke(work.ClusterId, work.Namespace, work.Name);
                }
            }
            catch (Exception e)
            {
                logger.LogError(e, "Applying job {Namespace}/{Job} failed", work.Namespace, work.Name);
                work.Done.TrySetResult(null);
            }
            finally
            {
                _pending.TryRemove(work.JobId, out _);
                Interlocked.Decrement(ref queue.InFlight);
            }
        }
    }

    /// <summary>
    /// Applies the job's objects once (the cluster's client retries what is transient, <see cref="TransientRetryHandler"/>):
    /// both null when applied (or no longer wanted); else why the cluster refused the job, or why it could not be reached
    /// — then the job waits Queued and the tracker applies it again (<see cref="ReapplyLostAsync"/>).
    /// </summary>
    private async Task<(string? Refused, string? Waiting)> ApplyAsync(Work work)
    {
        if (work.Ended)
        {
            return (null, null);
        }

        try
        {
            await applier.ApplyAsync(work.Client, work.Manifests, _stopping.Token).ConfigureAwait(false);
            if (work.Ended)
            {
                // Canceled while its objects were being applied: the cancel's delete may have come first.
                await JobApplier.DeleteAsync(work.Client, work.Namespace, work.Name, _stopping.Token).ConfigureAwait(false);
            }

            return (null, null);
        }
        catch (Exception e) when (!_stopping.IsCancellationRequested)
        {
            var problem = KubernetesProbe.Describe(e);
            if (Refusal(e))
            {
                logger.LogWarning("The cluster refused job {Namespace}/{Job}: {Problem}", work.Namespace, work.Name, problem);
                return (problem, null);
            }

            logger.LogInformation("Applying job {Namespace}/{Job} failed; it waits for the cluster: {Problem}", work.Namespace, work.Name, problem);
            return (null, problem);
        }
    }

    /// <summary>
    /// A refusal fails the job: the cluster answered and said no (a 4xx other than 429 and 409), or the name belongs to
    /// another's object. Anything else — no answer, 429, 5xx, a conflict — passes, and the apply is tried again.
    /// </summary>
    internal static bool Refusal(Exception e) => e switch
    {
        JobNameTakenException => true,
        HttpOperationException h => (int)h.Response.StatusCode is >= 400 and < 500 && h.Response.StatusCode is not (HttpStatusCode.TooManyRequests or HttpStatusCode.Conflict or HttpStatusCode.RequestTimeout),
        _ => false,
    };

    /// <summary>
    /// The cluster refused the job (<paramref name="refused"/>): it fails, with the cluster's words; or it could not be
    /// reached: the job says it waits for the cluster (unless it ended meanwhile).
    /// </summary>
    private async Task RecordAsync(Work work, string problem, bool refused)
    {
        for (var attempt = 0; attempt < 3; attempt++)
        {
            await using var db = contexts.CreateDbContext();
            var record = await db.Jobs.Include(j => j.Transitions).FirstOrDefaultAsync(j => j.Id == work.JobId, CancellationToken.None).ConfigureAwait(false);
            if (record is null || record.IsTerminal)
            {
                return;
            }

            if (refused)
            {
                record.FailSubmit(problem, clock.GetUtcNow());
            }
            else if (!record.WaitForCluster(problem, clock.GetUtcNow()))
            {
                return;
            }

            try
            {
                await db.SaveChangesAsync(CancellationToken.None).ConfigureAwait(false);
                return;
            }
            catch (DbUpdateConcurrencyException)
            {
                // The tracker wrote the record meanwhile: record it on the fresh one.
            }
        }
    }

    private sealed class Work(Guid jobId, Guid clusterId, IKubernetes client, string @namespace, string name, IReadOnlyList<ManifestObject> manifests, TaskCompletionSource<string?> done)
    {
        public Guid JobId { get; } = jobId;

        public Guid ClusterId { get; } = clusterId;

        public IKubernetes Client { get; } = client;

        public string Namespace { get; } = @namespace;

        public string Name { get; } = name;

        public IReadOnlyList<ManifestObject> Manifests { get; } = manifests;

        public TaskCompletionSource<string?> Done { get; } = done;

        /// <summary>The job ended (canceled) before or during its apply.</summary>
        public volatile bool Ended;
    }

    private sealed class ClusterQueue
    {
        public ClusterQueue(JobApplyQueue owner)
        {
            Workers = [.. Enumerable.Range(0, owner.Concurrency).Select(_ => Task.Run(() => owner.WorkAsync(this)))];
        }

        public Channel<Work> Channel { get; } = System.Threading.Channels.Channel.CreateUnbounded<Work>();

        public IReadOnlyList<Task> Workers { get; }

        /// <summary>Applies queued or being applied.</summary>
        public int InFlight;
    }
}
