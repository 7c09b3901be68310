using System.Globalization;
using System.Net;
using System.Runtime.CompilerServices;
using System.Text;
using System.Threading.Channels;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Studio.Domain.Common;
using Studio.Domain.InstanceTypes;
using Studio.Domain.Jobs;
using Studio.Domain.Workspaces;
using Studio.Infrastructure.InstanceTypes;
using Studio.Infrastructure.Kubernetes;
using Studio.Infrastructure.Kubernetes.Inventory;

namespace Studio.Infrastructure.Jobs;

public sealed partial class JobService
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
        var found = await FindAsync(actor, workspaceName, name, WorkspaceRole.Reader, includeChildren: true, cancellationToken).ConfigureAwait(false);
        if (!found.IsSuccess)
        {
            return Result<IReadOnlyList<JobLogLine>>.Failure(found.Errors);
        }

        var record = found.Value.Record;
        var lines = Math.Clamp(tail ?? 1000, 1, MaxTailLines);
        var livePods = await LivePodsAsync(record, cancellationToken).ConfigureAwait(false);
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
                read = await ReadLogAsync(client.Value, record.Namespace, podName, rank, lines, cancellationToken).ConfigureAwait(false);
            }

            if ((read is null || read.Count == 0) && stored.TryGetValue(podName, out var kept) && kept.LogTail is { } text)
            {
                read = Parse(podName, rank, text).TakeLast(lines).ToList();
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
        var found = await FindAsync(actor, workspaceName, name, WorkspaceRole.Reader, includeChildren: false, cancellationToken).ConfigureAwait(false);
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
                        var pods = await LivePodsAsync(record, stop.Token).ConfigureAwait(false);
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
        return [.. pods.SelectMany(p => Parse(p.Name, p.Rank, p.LogTail!).TakeLast(Math.Max(1, tail)))
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
        for (var attempt = 0; !cancellationToken.IsCancellationRequested; attempt++)
        {
            try
            {
                using var response = await client.CoreV1.ReadNamespacedPodLogWithHttpMessagesAsync(
                    pod, @namespace, container: JobManifests.ContainerName, follow: true, timestamps: true,
                    tailLines: last is null ? tail : null,
                    sinceSeconds: last is { } since ? Math.Max(1, (int)Math.Ceiling((clock.GetUtcNow() - since).TotalSeconds)) : null,
                    cancellationToken: cancellationToken).ConfigureAwait(false);
                using var reader = new StreamReader(response.Body, Encoding.UTF8);
                while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } text)
                {
                    var line = ParseLine(pod, rank, text);
                    if (last is { } seen && line.Timestamp is { } at && at <= seen)
                    {
                        continue;
                    }

                    last = line.Timestamp ?? last;
                    await writer.WriteAsync(line, cancellationToken).ConfigureAwait(false);
                }

                // The stream ended: the container exited, the pod is gone — or it had not started yet (then follow again).
                if (await PodEndedAsync(client, @namespace, pod, cancellationToken).ConfigureAwait(false))
                {
                    return;
                }

                await Task.Delay(TimeSpan.FromMilliseconds(500), clock, cancellationToken).ConfigureAwait(false);
            }
            catch (HttpOperationException e) when (e.Response.StatusCode is HttpStatusCode.BadRequest && attempt < 600)
            {
                // "container is waiting to start": try again shortly.
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

    private static async Task<IReadOnlyList<JobLogLine>> ReadLogAsync(IKubernetes client, string @namespace, string pod, int rank, int tail, CancellationToken cancellationToken)
    {
        try
        {
            using var stream = await client.CoreV1.ReadNamespacedPodLogAsync(pod, @namespace, container: JobManifests.ContainerName, tailLines: tail, timestamps: true, cancellationToken: cancellationToken).ConfigureAwait(false);
            using var reader = new StreamReader(stream, Encoding.UTF8);
            return Parse(pod, rank, await reader.ReadToEndAsync(cancellationToken).ConfigureAwait(false));
        }
        catch (HttpOperationException e) when (e.Response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.NotFound)
        {
            return [];
        }
    }

    /// <summary>Lines of a log read with <c>timestamps=true</c> ("2026-11-28T23:40:00.123456789Z text").</summary>
    internal static IReadOnlyList<JobLogLine> Parse(string pod, int rank, string text) =>
        [.. text.Split('\n').Where(l => l.Length > 0).Select(l => ParseLine(pod, rank, l.TrimEnd('\r')))];

    internal static JobLogLine ParseLine(string pod, int rank, string line)
    {
        var space = line.IndexOf(' ', StringComparison.Ordinal);
        if (space is > 18 and < 40 && line[4] == '-' && line[10] == 'T')
        {
            var stamp = line[..space];
            var dot = stamp.IndexOf('.', StringComparison.Ordinal);
            if (dot > 0)
            {
                // .NET parses at most 7 fractional digits; Kubernetes writes 9.
                var end = stamp.IndexOfAny(['Z', '+', '-'], dot);
                var fraction = end < 0 ? stamp[(dot + 1)..] : stamp[(dot + 1)..end];
                stamp = stamp[..(dot + 1)] + (fraction.Length > 7 ? fraction[..7] : fraction) + (end < 0 ? string.Empty : stamp[end..]);
            }

            if (DateTimeOffset.TryParse(stamp, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at))
            {
                return new JobLogLine(pod, rank, at, line[(space + 1)..]);
            }
        }

        return new JobLogLine(pod, rank, null, line);
    }

    /// <summary>The job's pods now: from the shared informer when it runs, else listed.</summary>
    private async Task<IReadOnlyList<JobPodInfo>> LivePodsAsync(TrainingJob record, CancellationToken cancellationToken)
    {
        var inventory = inventories.Peek(record.ClusterId);
        if (inventory is not null && inventory.JobPods.Health.State == InformerState.Synced)
        {
            return [.. inventory.JobPods.Snapshot().Where(p => p.Namespace == record.Namespace && p.Job == record.Name)];
        }

        var client = await clients.GetAsync(record.ClusterId, cancellationToken).ConfigureAwait(false);
        if (!client.IsSuccess)
        {
            return [];
        }

        try
        {
            var pods = await client.Value.CoreV1.ListNamespacedPodAsync(record.Namespace, labelSelector: $"{JobManifests.JobLabel}={record.Name}", cancellationToken: cancellationToken).ConfigureAwait(false);
            return [.. pods.Items.Select(JobProjections.ToInfo)];
        }
        catch (Exception e) when (e is HttpOperationException or HttpRequestException)
        {
            return [];
        }
    }

    /// <summary>
    /// Keeps the last <c>LogTailKiB</c> of every ended pod's log (every pod when <paramref name="force"/>, e.g. before a cancel
    /// deletes them) and its placement in <paramref name="record"/>'s pods (tracked by the caller's context).
    /// </summary>
    internal async Task CaptureLogTailsAsync(IKubernetes client, TrainingJob record, ClusterInventory? inventory, bool force, CancellationToken cancellationToken)
    {
        IReadOnlyList<JobPodInfo> pods;
        if (inventory is not null && inventory.JobPods.Health.State == InformerState.Synced)
        {
            pods = [.. inventory.JobPods.Snapshot().Where(p => p.Namespace == record.Namespace && p.Job == record.Name)];
        }
        else
        {
            var listed = await client.CoreV1.ListNamespacedPodAsync(record.Namespace, labelSelector: $"{JobManifests.JobLabel}={record.Name}", cancellationToken: cancellationToken).ConfigureAwait(false);
            pods = [.. listed.Items.Select(JobProjections.ToInfo)];
        }

        var maxBytes = Math.Max(1, options.Value.LogTailKiB) * 1024;
        foreach (var pod in pods)
        {
            ObservePod(record, pod, clock.GetUtcNow());
            if (record.Pods.First(p => p.Name == pod.Name).LogTail is not null || (!force && !pod.Ended) || pod.Node is null)
            {
                continue;
            }

            var lines = await ReadLogAsync(client, record.Namespace, pod.Name, pod.Rank, 5000, cancellationToken).ConfigureAwait(false);
            record.KeepLogTail(pod.Name, Tail(lines, maxBytes), clock.GetUtcNow());
        }
    }

    /// <summary>Keeps the pod's placement in the job (created or updated from the live projection); true when the pods tab would change.</summary>
    internal static bool ObservePod(TrainingJob record, JobPodInfo pod, DateTimeOffset at) =>
        record.ObservePod(pod.ToObservation(), RoleOf(record, pod.Rank), pod.StartedAt, pod.FinishedAt, at);

    /// <summary>The log lines (with timestamps) that fit in <paramref name="maxBytes"/> UTF-8 bytes, keeping the end.</summary>
    internal static string Tail(IReadOnlyList<JobLogLine> lines, int maxBytes)
    {
        var kept = new List<string>();
        var bytes = 0;
        for (var i = lines.Count - 1; i >= 0; i--)
        {
            var l = lines[i];
            var text = l.Timestamp is { } at ? $"{at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture)} {l.Text}" : l.Text;
            var size = Encoding.UTF8.GetByteCount(text) + 1;
            if (bytes + size > maxBytes)
            {
                break;
            }

            bytes += size;
            kept.Add(text);
        }

        kept.Reverse();
        return string.Join('\n', kept) + (kept.Count > 0 ? "\n" : string.Empty);
    }

    /// <summary>Events about the Job, its pods and its Service on the cluster now.</summary>
    internal async Task<Result<IReadOnlyList<JobEventView>>> LiveEventsAsync(TrainingJob record, CancellationToken cancellationToken)
    {
        var client = await clients.GetAsync(record.ClusterId, cancellationToken).ConfigureAwait(false);
        if (!client.IsSuccess)
        {
            return Result<IReadOnlyList<JobEventView>>.Failure(client.Errors);
        }

        try
        {
            var events = await client.Value.CoreV1.ListNamespacedEventAsync(record.Namespace, cancellationToken: cancellationToken).ConfigureAwait(false);
            return Result<IReadOnlyList<JobEventView>>.Ok([.. events.Items.Where(e => BelongsTo(record.Name, e.InvolvedObject?.Name)).Select(ToView)]);
        }
        catch (Exception e) when (e is HttpOperationException or HttpRequestException)
        {
            return Error.Conflict("cluster_unavailable", $"Live state is not available: {KubernetesProbe.Describe(e)} Showing what Studio recorded.");
        }
    }

    /// <summary>Whether an object name is the job's (the Job, its Service, its ConfigMap, or a pod NAME-…).</summary>
    internal static bool BelongsTo(string job, string? name) =>
        name is not null && (name == job || (name.StartsWith(job, StringComparison.Ordinal) && name.Length > job.Length && name[job.Length] == '-'));

    internal static JobEventView ToView(Corev1Event e) => new(
        (e.LastTimestamp ?? e.EventTime ?? e.Metadata.CreationTimestamp) is { } at ? new DateTimeOffset(DateTime.SpecifyKind(at, DateTimeKind.Utc)) : DateTimeOffset.MinValue,
        e.Type ?? "Normal",
        e.Reason ?? string.Empty,
        e.Message ?? string.Empty,
        $"{e.InvolvedObject?.Kind}/{e.InvolvedObject?.Name}",
        e.Count ?? 1);

    /// <summary>Why a queued job waits: the scheduler's words per pod in plain language, the fit per pool, jobs ahead, and what would fit now.</summary>
    private async Task<JobExplanation> PendingExplanationAsync(Workspace workspace, TrainingJob record, JobSpec spec, IReadOnlyList<JobPodView> pods, CancellationToken cancellationToken)
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
            var types = await InstanceTypesAsync(record.ClusterId, cancellationToken).ConfigureAwait(false);
            var type = types.FirstOrDefault(t => t.Name == record.InstanceType);
            if (type is not null)
            {
                var nodes = InstanceTypeAvailabilities.Nodes(inventory);
                var context = new FitContext(await catalog.ExtensionSelectorAsync(record.ClusterId, cancellationToken).ConfigureAwait(false), workspace.Name, target.Name);
                var fit = Fit(nodes, type, context);
                typeFit = fit;
                poolLines.AddRange(fit.Pools.Select(p => p.Explanation));
                if (fit.NoMatchReason is { } none)
                {
                    poolLines.Add(none);
                }

                if (fit.FitNow > 0 && fit.FitNow < record.InstanceCount)
                {
                    wouldFit.Add($"{Plural(fit.FitNow, "instance")} of {type.Name} fit now.");
                }

                foreach (var other in types.Where(t => t.Name != type.Name))
                {
                    if (Fit(nodes, other, context).FitsNow(record.InstanceCount))
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
                : $"Cannot start on this cluster: at most {Plural(most, "instance")} of {record.InstanceType} fit even when the matching nodes are empty, and it needs {record.InstanceCount} placed together";
            var fix = most == 0 ? "another instance type" : $"at most {Plural(most, "instance")} or another instance type";
            return new JobExplanation(ExplanationKind.NeverFits, never, detail, $"It will not start by itself. Cancel it, then re-run it with {fix}.", poolLines, null, wouldFit);
        }

        if (ahead > 0)
        {
            detail += $" {Plural(ahead, "job")} submitted earlier {(ahead == 1 ? "is" : "are")} also waiting on this cluster.";
        }

        return new JobExplanation(ExplanationKind.Pending, title, detail, record.Hint ?? "It starts by itself when capacity frees.", poolLines, ahead, wouldFit);
    }
}
