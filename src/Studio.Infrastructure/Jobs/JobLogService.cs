using System.Net;
using System.Runtime.CompilerServices;
using System.Text;
using System.Threading.Channels;
using k8s;
using k8s.Autorest;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Studio.Domain.Common;
using Studio.Domain.Jobs;
using Studio.Domain.Workspaces;
using Studio.Infrastructure.Kubernetes;
using Studio.Infrastructure.Persistence;

namespace Studio.Infrastructure.Jobs;

/// <summary>
/// A job's logs: one pod or all ranks merged by time, read from the cluster while the pods live and from the log tails
/// kept in the record after; followed live until the job ends.
/// </summary>
public sealed class JobLogService(
    IDbContextFactory<StudioDbContext> contexts,
    JobAccess access,
    KubernetesClientFactory clients,
    JobPodReader podReader,
    TimeProvider clock,
    ILogger<JobLogService> logger)
{
    /// <summary>Most lines a logs request returns per pod.</summary>
    public const int MaxTailLines = 10_000;

    /// <summary>
    /// A job's logs: one pod (<paramref name="pod"/>) or all ranks merged by timestamp (null), the last
    /// <paramref name="tail"/> lines per pod. Live pods are read from the cluster; pods that are gone answer from the log
    /// tail kept in the record.
    /// </summary>
    public async Task<Result<IReadOnlyList<JobLogLine>>> LogsAsync(Actor actor, string workspaceName, string name, string? pod, int? tail, CancellationToken cancellationToken)
    {
        var found = await access.FindAsync(actor, workspaceName, name, WorkspaceRole.Reader, includeChildren: true, cancellationToken).ConfigureAwait(false);
        if (!found.IsSuccess)
        {
            return Result<IReadOnlyList<JobLogLine>>.Failure(found.Errors);
        }

        var record = found.Value.Record;
        var lines = Math.Clamp(tail ?? 1000, 1, MaxTailLines);
        var livePods = await podReader.LivePodsAsync(record, cancellationToken).ConfigureAwait(false);
        var stored = record.Pods.ToDictionary(p => p.Name, StringComparer.Ordinal);
        var names = livePods.Select(p => p.Name).Union(stored.Keys, StringComparer.Ordinal).ToList();
        if (pod is not null)
        {
            if (!names.Contains(pod, StringComparer.Ordinal))
            {
                return Error.NotFound($"Job '{record.Name}' has no pod named '{pod}'.");
            }

            names = [pod];
        }

        var result = new List<JobLogLine>();
        var client = livePods.Count > 0 ? await clients.GetAsync(record.ClusterId, cancellationToken).ConfigureAwait(false) : null;
        foreach (var podName in names)
        {
            var live = livePods.FirstOrDefault(p => p.Name == podName);
            var rank = live?.Rank ?? stored.GetValueOrDefault(podName)?.Rank ?? 0;
            IReadOnlyList<JobLogLine>? read = null;
            if (live is not null && client is { IsSuccess: true })
            {
                read = await JobPodReader.ReadLogAsync(client.Value, record.Namespace, podName, rank, lines, cancellationToken).ConfigureAwait(false);
            }

            if ((read is null || read.Count == 0) && stored.TryGetValue(podName, out var kept) && kept.LogTail is { } text)
            {
                read = JobLogText.Parse(podName, rank, text).TakeLast(lines).ToList();
            }

            result.AddRange(read ?? []);
        }

        return Result<IReadOnlyList<JobLogLine>>.Ok([.. result.OrderBy(l => l.Timestamp ?? DateTimeOffset.MinValue).ThenBy(l => l.Rank)]);
    }

    /// <summary>
    /// Follows a job's logs live: one pod or all ranks merged (new pods, e.g. retries, join as they appear), starting with
    /// the last <paramref name="tail"/> lines per pod. Ends when the job has ended and every pod's stream is done, or when
    /// <paramref name="cancellationToken"/> is canceled.
    /// </summary>
    public async Task<Result<IAsyncEnumerable<JobLogLine>>> FollowLogsAsync(Actor actor, string workspaceName, string name, string? pod, int? tail, CancellationToken cancellationToken)
    {
        var found = await access.FindAsync(actor, workspaceName, name, WorkspaceRole.Reader, includeChildren: false, cancellationToken).ConfigureAwait(false);
        if (!found.IsSuccess)
        {
            return Result<IAsyncEnumerable<JobLogLine>>.Failure(found.Errors);
        }

        var record = found.Value.Record;
        if (record.IsTerminal)
        {
            // Nothing more will be written: answer with what there is.
            var done = await LogsAsync(actor, workspaceName, name, pod, tail, cancellationToken).ConfigureAwait(false);
            return done.IsSuccess ? Result<IAsyncEnumerable<JobLogLine>>.Ok(done.Value.ToAsyncEnumerable()) : Result<IAsyncEnumerable<JobLogLine>>.Failure(done.Errors);
        }

        var client = await clients.GetAsync(record.ClusterId, cancellationToken).ConfigureAwait(false);
        if (!client.IsSuccess)
        {
            return Result<IAsyncEnumerable<JobLogLine>>.Failure(client.Errors);
        }

        return Result<IAsyncEnumerable<JobLogLine>>.Ok(FollowAsync(client.Value, record, pod, Math.Clamp(tail ?? 100, 0, MaxTailLines), cancellationToken));
    }

    private async IAsyncEnumerable<JobLogLine> FollowAsync(IKubernetes client, TrainingJob record, string? onlyPod, int tail, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var channel = Channel.CreateBounded<JobLogLine>(new BoundedChannelOptions(4096) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var followers = new Dictionary<string, Task>(StringComparer.Ordinal);
        var supervisor = Task.Run(
            async () =>
            {
                try
                {
                    while (!stop.IsCancellationRequested)
                    {
                        var pods = await podReader.LivePodsAsync(record, stop.Token).ConfigureAwait(false);
                        foreach (var p in pods.Where(p => onlyPod is null || p.Name == onlyPod))
                        {
                            if (!followers.ContainsKey(p.Name))
                            {
                                followers[p.Name] = FollowPodAsync(client, record.Namespace, p.Name, p.Rank, tail, channel.Writer, stop.Token);
                            }
                        }

                        var ended = await EndedAsync(record.Id, stop.Token).ConfigureAwait(false);
                        if (ended && followers.Values.All(f => f.IsCompleted))
                        {
                            if (followers.Count == 0)
                            {
                                // The job ended before any of its pods could be followed (a fast job, or pods already
                                // gone): answer with the log tails the record kept instead of an empty stream.
                                foreach (var line in await StoredTailsAsync(record.Id, onlyPod, tail, stop.Token).ConfigureAwait(false))
                                {
                                    await channel.Writer.WriteAsync(line, stop.Token).ConfigureAwait(false);
                                }
                            }

                            break;
                        }

                        await Task.Delay(TimeSpan.FromSeconds(1), clock, stop.Token).ConfigureAwait(false);
                    }
                }
                catch (OperationCanceledException)
                {
                }
                catch (Exception e) when (e is HttpOperationException or HttpRequestException)
                {
                    logger.LogInformation("Following logs of {Job} stopped: {Problem}", record.Name, KubernetesProbe.Describe(e));
                }
                finally
                {
                    await Task.WhenAll(followers.Values).ConfigureAwait(false);
                    channel.Writer.TryComplete();
                }
            },
            CancellationToken.None);

        try
        {
            await foreach (var line in channel.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                yield return line;
            }
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await supervisor.ConfigureAwait(false);
        }
    }

    private async Task<IReadOnlyList<JobLogLine>> StoredTailsAsync(Guid jobId, string? onlyPod, int tail, CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        var pods = await db.Set<JobPod>().AsNoTracking()
            .Where(p => p.JobId == jobId && p.LogTail != null && (onlyPod == null || p.Name == onlyPod))
            .Select(p => new { p.Name, p.Rank, p.LogTail })
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        return [.. pods.SelectMany(p => JobLogText.Parse(p.Name, p.Rank, p.LogTail!).TakeLast(Math.Max(1, tail)))
            .OrderBy(l => l.Timestamp ?? DateTimeOffset.MinValue).ThenBy(l => l.Rank)];
    }

    private async Task<bool> EndedAsync(Guid jobId, CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        var state = await db.Jobs.AsNoTracking().Where(j => j.Id == jobId).Select(j => (JobState?)j.State).FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        return state is not { } known || JobLifecycle.IsTerminal(known);
    }

    private async Task FollowPodAsync(IKubernetes client, string @namespace, string pod, int rank, int tail, ChannelWriter<JobLogLine> writer, CancellationToken cancellationToken)
    {
        DateTimeOffset? last = null;
        var ended = false;
        for (var attempt = 0; !cancellationToken.IsCancellationRequested; attempt++)
        {
            try
            {
                using var response = await client.CoreV1.ReadNamespacedPodLogWithHttpMessagesAsync(
                    pod, @namespace, container: JobManifests.ContainerName, follow: !ended, timestamps: true,
                    tailLines: last is null ? tail : null,
                    sinceSeconds: last is { } since ? Math.Max(1, (int)Math.Ceiling((clock.GetUtcNow() - since).TotalSeconds)) : null,
                    cancellationToken: cancellationToken).ConfigureAwait(false);
                using var reader = new StreamReader(response.Body, Encoding.UTF8);
                while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } text)
                {
                    var line = JobLogText.ParseLine(pod, rank, text);
                    if (last is { } seen && line.Timestamp is { } at && at <= seen)
                    {
                        continue;
                    }

                    last = line.Timestamp ?? last;
                    await writer.WriteAsync(line, cancellationToken).ConfigureAwait(false);
                }

                // The stream ended: the container exited, the pod is gone — or it had not started yet (then follow again).
                // A pod that ended since the stream did (a container that started and finished in between) is read once
                // more without following, so its lines are not lost.
                if (ended)
                {
                    return;
                }

                if (await PodEndedAsync(client, @namespace, pod, cancellationToken).ConfigureAwait(false))
                {
                    ended = true;
                    continue;
                }

                await Task.Delay(TimeSpan.FromMilliseconds(500), clock, cancellationToken).ConfigureAwait(false);
            }
            catch (HttpOperationException e) when (e.Response.StatusCode is HttpStatusCode.BadRequest && attempt < 600)
            {
                // "container is waiting to start": try again shortly (a pod that ended never started it: nothing to read).
                if (ended)
                {
                    return;
                }

                await Task.Delay(TimeSpan.FromSeconds(1), clock, cancellationToken).ConfigureAwait(false);
            }
            catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
            {
                return;
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (Exception e) when (e is HttpRequestException or IOException)
            {
                await Task.Delay(TimeSpan.FromSeconds(1), clock, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static async Task<bool> PodEndedAsync(IKubernetes client, string @namespace, string pod, CancellationToken cancellationToken)
    {
        try
        {
            var current = await client.CoreV1.ReadNamespacedPodAsync(pod, @namespace, cancellationToken: cancellationToken).ConfigureAwait(false);
            return current.Status?.Phase is "Succeeded" or "Failed" || current.Metadata.DeletionTimestamp is not null;
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return true;
        }
    }
}
