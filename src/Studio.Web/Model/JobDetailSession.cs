using Studio.Domain.Common;
using Studio.Domain.Workspaces;
using Studio.Infrastructure.Jobs;
using Studio.Infrastructure.Live;
using JobInfo = Studio.Infrastructure.Jobs.JobDetail;

namespace Studio.Web.Model;

/// <summary>
/// What the job page shows for one job: the job (reloaded when its record changes), its timeline, the live indicator and
/// its logs — followed live (all ranks, one stream) while it runs, the recorded tails once it ended — kept per pod and
/// merged. Log lines arrive on a background loop and are moved into the views on the renderer's context at most once per
/// ~100 ms, through the callback given to <see cref="OpenAsync"/>.
/// </summary>
public sealed class JobDetailSession(JobQueryService queries, JobLogService logs, JobCancellationService cancellation, TimeProvider clock) : IDisposable
{
    /// <summary>The log source that merges every rank.</summary>
    public const string MergedSource = "all";

    private const int LogTail = 2000;

    private readonly CancellationTokenSource _stop = new();
    private readonly object _logLock = new();
    private readonly List<LogLineView> _pending = [];
    private bool _replace;
    private Actor? _actor;
    private Func<Action, Task> _onRenderer = work =>
    {
        work();
        return Task.CompletedTask;
    };

    private Coalescer? _logCoalescer;
    private CancellationTokenSource? _logStop;
    private ITimer? _ticker;
    private int _disposed;

    public string Workspace { get; private set; } = string.Empty;

    public string Name { get; private set; } = string.Empty;

    /// <summary>The job; null while loading or when it cannot be shown (<see cref="NotFound"/> says why).</summary>
    public JobInfo? Job { get; private set; }

    public string? NotFound { get; private set; }

    public IReadOnlyList<TimelineStep> Timeline { get; private set; } = [];

    public LiveState LiveState { get; private set; } = LiveState.Connecting;

    /// <summary>
    /// The time durations and ages count to: when the job was last read, moved on every second while it runs or waits
    /// (every minute once it ended) so "submitted 3s ago" and the duration tick.
    /// </summary>
    public DateTimeOffset Now { get; private set; }

    /// <summary>Why logs are incomplete or missing (null: they are not).</summary>
    public string? LogNotice { get; private set; }

    /// <summary>Every rank's lines, in arrival order.</summary>
    public IReadOnlyList<LogLineView> Merged { get; private set; } = [];

    private Dictionary<string, List<LogLineView>> _logsByPod = new(StringComparer.Ordinal);

    /// <summary>Whether the live log stream is still open.</summary>
    public bool Following { get; private set; }

    public bool IsTerminal => Job is { } job && JobDisplay.IsTerminal(job.Summary.State);

    /// <summary>The job ended and none of its pods is left on the cluster: everything shown comes from the record.</summary>
    public bool FromRecord => Job is { } job && JobDisplay.IsTerminal(job.Summary.State) && job.Pods.Count > 0 && job.Pods.All(p => !p.Live);

    /// <summary>A pod name with lines or a pod of the job; anything else is the merged view.</summary>
    public string LogSource(string? requested) =>
        requested is { Length: > 0 } log && (_logsByPod.ContainsKey(log) || Job?.Pods.Any(p => p.Name == log) == true) ? log : MergedSource;

    public IReadOnlyList<LogLineView> Lines(string source) => source == MergedSource ? Merged : _logsByPod.GetValueOrDefault(source) ?? [];

    /// <summary>
    /// Shows job <paramref name="name"/> of <paramref name="workspace"/> (again from scratch when it is another job) and
    /// starts reading its logs. <paramref name="onRenderer"/> runs a change to the session on the renderer's context and
    /// renders once.
    /// </summary>
    public async Task OpenAsync(Actor actor, string workspace, string name, Func<Action, Task> onRenderer)
    {
        _actor = actor;
        _onRenderer = onRenderer;
        _logCoalescer ??= new Coalescer(() => _onRenderer(FlushLogs), TimeSpan.FromMilliseconds(100));
        _ticker ??= clock.CreateTimer(_ => Tick(), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
        Workspace = workspace;
        Name = name;
        StopLogs();
        Merged = [];
        _logsByPod = new(StringComparer.Ordinal);
        await ReloadAsync();
        if (Job is not null)
        {
            StartLogs();
        }
    }

    /// <summary>Reads the job again (its record changed); reads the final log tails once more when it just ended.</summary>
    public async Task ReloadAsync()
    {
        Now = clock.GetUtcNow();
        if (_actor is null)
        {
            return;
        }

        var wasRunning = Job is { } before && !JobDisplay.IsTerminal(before.Summary.State);
        var job = await queries.GetAsync(_actor, Workspace, Name, _stop.Token);
        if (!job.IsSuccess)
        {
            NotFound = job.Errors[0].Message;
            Job = null;
            return;
        }

        NotFound = null;
        Job = job.Value;
        LiveState = Job.LiveProblem is null || IsTerminal ? LiveState.Live : LiveState.Stale;
        Timeline = TimelineStep.Build(Job.Timeline.Select(t => (t.State, t.At, t.Reason)), Job.Summary.State);
        LogNotice = FromRecord ? "The pods are gone: these are the last lines of each pod's log that the studio kept." : null;

        // The follow stream ends with the job; read the final tails once more so the last lines are complete.
        if (wasRunning && IsTerminal && !Following)
        {
            StartLogs();
        }
    }

    private void Tick()
    {
        var now = clock.GetUtcNow();
        if (Volatile.Read(ref _disposed) == 1 || Job is null || (IsTerminal && now - Now < TimeSpan.FromMinutes(1)))
        {
            return;
        }

        _ = _onRenderer(() => Now = now);
    }

    /// <summary>Cancels the job for the person who opened it, then reads it again.</summary>
    public async Task<Result<JobSummary>> CancelAsync()
    {
        if (_actor is null || Job is null)
        {
            throw new InvalidOperationException("No job is open.");
        }

        var result = await cancellation.CancelAsync(_actor, Workspace, Job.Summary.Name, _stop.Token);
        await ReloadAsync();
        return result;
    }

    private void StartLogs()
    {
        StopLogs();
        _logStop = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        var token = _logStop.Token;
        var (actor, workspace, name, terminal) = (_actor!, Workspace, Name, IsTerminal);
        Following = !terminal;
        _ = Task.Run(() => ReadLogsAsync(actor, workspace, name, terminal, token), CancellationToken.None);
    }

    private async Task ReadLogsAsync(Actor actor, string workspace, string name, bool terminal, CancellationToken token)
    {
        try
        {
            if (terminal)
            {
                var tails = await logs.LogsAsync(actor, workspace, name, null, LogTail, token);
                if (!tails.IsSuccess)
                {
                    await _onRenderer(() => LogNotice = $"Logs could not be read: {tails.Errors[0].Message}");
                    return;
                }

                lock (_logLock)
                {
                    _pending.Clear();
                    _pending.AddRange(tails.Value.Select(ToView));
                    _replace = true;
                }

                _logCoalescer?.Signal();
                return;
            }

            var stream = await logs.FollowLogsAsync(actor, workspace, name, null, LogTail, token);
            if (!stream.IsSuccess)
            {
                await _onRenderer(() => LogNotice = $"Logs could not be followed: {stream.Errors[0].Message}");
                return;
            }

            await foreach (var line in stream.Value.WithCancellation(token))
            {
                lock (_logLock)
                {
                    _pending.Add(ToView(line));
                }

                _logCoalescer?.Signal();
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
        finally
        {
            Following = false;
        }
    }

    private LogLineView ToView(JobLogLine line) =>
        new(line.Pod, line.Rank, Job?.Pods.FirstOrDefault(p => p.Name == line.Pod)?.Role, line.Text, line.Timestamp);

    /// <summary>Moves the lines read since the last render into the per-pod and merged views (on the renderer's context).</summary>
    private void FlushLogs()
    {
        List<LogLineView> lines;
        bool replace;
        lock (_logLock)
        {
            lines = [.. _pending];
            _pending.Clear();
            replace = _replace;
            _replace = false;
        }

        var merged = replace ? [] : new List<LogLineView>(Merged);
        if (replace)
        {
            _logsByPod = new(StringComparer.Ordinal);
        }

        foreach (var line in lines)
        {
            if (!_logsByPod.TryGetValue(line.Pod, out var pod))
            {
                _logsByPod[line.Pod] = pod = [];
            }

            pod.Add(line);
            merged.Add(line);
        }

        // New list instances so the log view sees a change and re-filters.
        Merged = merged;
        foreach (var pod in lines.Select(l => l.Pod).Distinct())
        {
            _logsByPod[pod] = [.. _logsByPod[pod]];
        }
    }

    private void StopLogs()
    {
        _logStop?.Cancel();
        _logStop?.Dispose();
        _logStop = null;
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        _ticker?.Dispose();
        _logCoalescer?.Dispose();
        StopLogs();
        _stop.Cancel();
        _stop.Dispose();
    }
}
