using Microsoft.AspNetCore.Components;
using MudBlazor;
using Studio.Domain.Workspaces;
using Studio.Infrastructure.Jobs;
using Studio.Infrastructure.Live;
using Studio.Web.Components.Dialogs;
using Studio.Web.Model;
using JobInfo = Studio.Infrastructure.Jobs.JobDetail;

namespace Studio.Web.Components.Pages;

/// <summary>
/// One job: state and actions, timeline, explainer, pods by rank, events, logs (per pod and merged, followed live while
/// it runs), resources, the submitted spec and the applied manifests. Works from the studio's record once pods are gone.
/// </summary>
public partial class JobDetail
{
    private const string MergedSource = "all";
    private const int LogTail = 2000;
    private static readonly string[] Tabs = ["logs", "pods", "events", "resources", "spec", "manifests"];

    private readonly CancellationTokenSource _stop = new();
    private readonly object _logLock = new();
    private readonly List<LogLineView> _pending = [];
    private List<LogLineView> _merged = [];
    private Dictionary<string, List<LogLineView>> _logsByPod = new(StringComparer.Ordinal);
    private JobInfo? _job;
    private IReadOnlyList<TimelineStep> _timeline = [];
    private string? _notFound;
    private string? _logNotice;
    private string? _workspace;
    private string? _loadedName;
    private bool _canSubmit;
    private bool _canceling;
    private bool _follow = true;
    private bool _following;
    private LiveState _liveState = LiveState.Connecting;
    private DateTimeOffset _now;
    private IAsyncDisposable? _jobRecord;
    private Coalescer? _logCoalescer;
    private CancellationTokenSource? _logStop;

    [Parameter]
    public string Name { get; set; } = string.Empty;

    /// <summary>The open tab, in the URL.</summary>
    [SupplyParameterFromQuery(Name = "tab")]
    public string? Tab { get; set; }

    /// <summary>The log source (a pod name, or none for the merged view of all ranks), in the URL.</summary>
    [SupplyParameterFromQuery(Name = "log")]
    public string? Log { get; set; }

    [Inject]
    public required JobQueryService JobQueries { get; init; }

    [Inject]
    public required JobLogService JobLogs { get; init; }

    [Inject]
    public required JobCancellationService JobCancellation { get; init; }

    private int TabIndex => Math.Max(0, Array.IndexOf(Tabs, Tab ?? "logs"));

    private string LogSource => Log is { Length: > 0 } log && (_logsByPod.ContainsKey(log) || _job?.Pods.Any(p => p.Name == log) == true) ? log : MergedSource;

    private IReadOnlyList<LogLineView> VisibleLines => LogSource == MergedSource ? _merged : _logsByPod.GetValueOrDefault(LogSource) ?? [];

    /// <summary>The job ended and none of its pods is left on the cluster: everything shown comes from the record.</summary>
    private bool FromRecord => _job is { } job && JobDisplay.IsTerminal(job.Summary.State) && job.Pods.Count > 0 && job.Pods.All(p => !p.Live);

    protected override void OnInitialized()
    {
        _logCoalescer = new Coalescer(() => InvokeAsync(() =>
        {
            FlushLogs();
            StateHasChanged();
        }), TimeSpan.FromMilliseconds(100));
    }

    protected override async Task OnParametersSetAsync()
    {
        if (_loadedName == Name)
        {
            return;
        }

        _loadedName = Name;
        _workspace = Workspace.Name;
        StopLogs();
        _merged = [];
        _logsByPod = new(StringComparer.Ordinal);
        _canSubmit = Workspace.CanSubmit;
        await ReloadAsync();
        if (_job is not null)
        {
            StartLogs(Workspace.Actor);
        }

        await FollowJobRecordAsync(Workspace.Actor);
    }

    /// <summary>Reloads the job whenever its record changes (its status), at most one batch per ~100 ms.</summary>
    private async Task FollowJobRecordAsync(Actor actor)
    {
        if (_jobRecord is not null)
        {
            await _jobRecord.DisposeAsync();
            _jobRecord = null;
        }

        if (await Feed.AuthorizeAsync(actor, LiveScope.Job(_workspace!, Name), _stop.Token) is not { IsSuccess: true } target)
        {
            return;
        }

        var started = false;
        (_, _jobRecord) = await FollowAsync(Feed.SubscribeAsync(target.Value.JobsOnly(), null, LiveToken), async _ =>
        {
            if (started)
            {
                await ReloadAsync();
            }
        });
        started = true;
    }

    protected override ValueTask DisposeAsyncCore()
    {
        _logCoalescer?.Dispose();
        StopLogs();
        _stop.Cancel();
        _stop.Dispose();
        return ValueTask.CompletedTask;
    }


    private async Task ReloadAsync()
    {
        _now = Clock.GetUtcNow();
        if (_workspace is null)
        {
            return;
        }

        var wasRunning = _job is { } before && !JobDisplay.IsTerminal(before.Summary.State);
        var job = await JobQueries.GetAsync(await GetActorAsync(), _workspace, Name, _stop.Token);
        if (!job.IsSuccess)
        {
            _notFound = job.Errors[0].Message;
            _job = null;
            return;
        }

        _notFound = null;
        _job = job.Value;
        _liveState = _job.LiveProblem is null || JobDisplay.IsTerminal(_job.Summary.State) ? LiveState.Live : LiveState.Stale;
        _timeline = TimelineStep.Build(_job.Timeline.Select(t => (t.State, t.At, t.Reason)), _job.Summary.State);
        _logNotice = FromRecord ? "The pods are gone: these are the last lines of each pod's log that the studio kept." : null;

        // The follow stream ends with the job; read the final tails once more so the last lines are complete.
        if (wasRunning && JobDisplay.IsTerminal(_job.Summary.State) && !_following)
        {
            StartLogs(await GetActorAsync());
        }
    }

    /// <summary>Reads the job's logs: followed live (all ranks, one stream) while it runs, the recorded tails once it ended.</summary>
    private void StartLogs(Actor actor)
    {
        StopLogs();
        _logStop = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        var token = _logStop.Token;
        var workspace = _workspace!;
        var terminal = _job is { } job && JobDisplay.IsTerminal(job.Summary.State);
        _following = !terminal;
        _ = Task.Run(() => ReadLogsAsync(actor, workspace, terminal, token), CancellationToken.None);
    }

    private async Task ReadLogsAsync(Actor actor, string workspace, bool terminal, CancellationToken token)
    {
        try
        {
            if (terminal)
            {
                var logs = await JobLogs.LogsAsync(actor, workspace, Name, null, LogTail, token);
                if (!logs.IsSuccess)
                {
                    await InvokeAsync(() => { _logNotice = $"Logs could not be read: {logs.Errors[0].Message}"; StateHasChanged(); });
                    return;
                }

                lock (_logLock)
                {
                    _pending.Clear();
                    _pending.AddRange(logs.Value.Select(ToView));
                    _replace = true;
                }

                _logCoalescer?.Signal();
                return;
            }

            var stream = await JobLogs.FollowLogsAsync(actor, workspace, Name, null, LogTail, token);
            if (!stream.IsSuccess)
            {
                await InvokeAsync(() => { _logNotice = $"Logs could not be followed: {stream.Errors[0].Message}"; StateHasChanged(); });
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
            _following = false;
        }
    }

    private bool _replace;

    private LogLineView ToView(JobLogLine line) =>
        new(line.Pod, line.Rank, _job?.Pods.FirstOrDefault(p => p.Name == line.Pod)?.Role, line.Text, line.Timestamp);

    /// <summary>Moves the lines read since the last render into the per-pod and merged views (on the renderer's thread).</summary>
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

        if (replace)
        {
            _merged = [];
            _logsByPod = new(StringComparer.Ordinal);
        }

        foreach (var line in lines)
        {
            if (!_logsByPod.TryGetValue(line.Pod, out var pod))
            {
                _logsByPod[line.Pod] = pod = [];
            }

            pod.Add(line);
            _merged.Add(line);
        }

        // New list instances so the log view sees a change and re-filters.
        _merged = [.. _merged];
        if (lines.Count > 0)
        {
            foreach (var pod in lines.Select(l => l.Pod).Distinct())
            {
                _logsByPod[pod] = [.. _logsByPod[pod]];
            }
        }
    }

    private void StopLogs()
    {
        _logStop?.Cancel();
        _logStop?.Dispose();
        _logStop = null;
    }

    private void TabChanged(int index) => Navigation.NavigateTo(Navigation.GetUriWithQueryParameter("tab", Tabs[index]), replace: true);

    private void LogSourceChanged(string? source) =>
        Navigation.NavigateTo(Navigation.GetUriWithQueryParameter("log", source is null or MergedSource ? null : source), replace: true);

    private async Task CancelAsync()
    {
        if (_job is null)
        {
            return;
        }

        var name = _job.Summary.Name;
        var parameters = new DialogParameters<ConfirmDialog>
        {
            { d => d.Title, $"Cancel job '{name}'?" },
            { d => d.Message, "Its pods are deleted; logs and events recorded so far are kept. This cannot be undone." },
            { d => d.ConfirmText, "Cancel job" },
        };
        var dialog = await Dialogs.ShowAsync<ConfirmDialog>("Cancel job", parameters);
        if ((await dialog.Result) is not { Canceled: false })
        {
            return;
        }

        _canceling = true;
        try
        {
            var result = await JobCancellation.CancelAsync(await GetActorAsync(), _workspace!, name, _stop.Token);
            Snackbar.Add(result.IsSuccess ? $"Job '{name}' canceled." : result.Errors[0].Message, result.IsSuccess ? Severity.Success : Severity.Error);
            await ReloadAsync();
        }
        finally
        {
            _canceling = false;
        }
    }
}
