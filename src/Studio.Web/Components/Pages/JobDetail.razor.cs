using Microsoft.AspNetCore.Components;
using MudBlazor;
using Studio.Domain.Workspaces;
using Studio.Infrastructure.Workspaces;
using Studio.Web.Components.Dialogs;
using Studio.Web.Model;

namespace Studio.Web.Components.Pages;

/// <summary>
/// One job: state and actions, timeline, explainer, pods by rank, events, logs (per pod and merged, live while it
/// runs), resources, the submitted spec and the applied manifests. Works from the studio's record once pods are gone.
/// </summary>
public partial class JobDetail : IDisposable
{
    private const string MergedSource = "all";
    private static readonly string[] Tabs = ["logs", "pods", "events", "resources", "spec", "manifests"];

    private readonly CancellationTokenSource _stop = new();
    private readonly List<LogLineView> _merged = [];
    private readonly Dictionary<string, List<LogLineView>> _logsByPod = new(StringComparer.Ordinal);
    private JobDetailView? _job;
    private IReadOnlyList<TimelineStep> _timeline = [];
    private string? _notFound;
    private string? _logNotice;
    private string? _workspace;
    private bool _canSubmit;
    private bool _canceling;
    private bool _follow = true;
    private LiveState _liveState = LiveState.Connecting;
    private DateTimeOffset _now;
    private Coalescer? _coalescer;

    [Parameter]
    public string Name { get; set; } = string.Empty;

    /// <summary>The open tab, in the URL.</summary>
    [SupplyParameterFromQuery(Name = "tab")]
    public string? Tab { get; set; }

    /// <summary>The log source (a pod name, or <c>all</c> for the merged view), in the URL.</summary>
    [SupplyParameterFromQuery(Name = "log")]
    public string? Log { get; set; }

    [Inject]
    public required UserPreferences Preferences { get; init; }

    [Inject]
    public required WorkspaceService Workspaces { get; init; }

    [Inject]
    public required NavigationManager Navigation { get; init; }

    [Inject]
    public required IDialogService Dialogs { get; init; }

    [Inject]
    public required ISnackbar Snackbar { get; init; }

    [Inject]
    public required TimeProvider Clock { get; init; }

    private int TabIndex => Math.Max(0, Array.IndexOf(Tabs, Tab ?? "logs"));

    private string LogSource => Log is { Length: > 0 } log && (log == MergedSource || _logsByPod.ContainsKey(log) || _job?.Pods.Any(p => p.Name == log) == true) ? log : MergedSource;

    private IReadOnlyList<LogLineView> VisibleLines => LogSource == MergedSource ? _merged : _logsByPod.GetValueOrDefault(LogSource) ?? [];

    protected override void OnInitialized()
    {
        _coalescer = new Coalescer(() => InvokeAsync(async () =>
        {
            await ReloadAsync();
            StateHasChanged();
        }), TimeSpan.FromMilliseconds(100));
    }

    protected override async Task OnParametersSetAsync()
    {
        if (_job?.Name == Name && _workspace == Preferences.CurrentWorkspace)
        {
            return;
        }

        _workspace = Preferences.CurrentWorkspace;
        if (_workspace is null)
        {
            _notFound = "Choose a workspace first.";
            return;
        }

        var actor = await GetActorAsync();
        var workspace = await Workspaces.GetAsync(actor, _workspace, _stop.Token);
        _canSubmit = workspace.IsSuccess && workspace.Value.YourRole >= WorkspaceRole.DataScientist;
        await ReloadAsync();
        if (_job is not null)
        {
            StartLive(actor, _workspace);
        }
    }

    public void Dispose()
    {
        _coalescer?.Dispose();
        _stop.Cancel();
        _stop.Dispose();
        GC.SuppressFinalize(this);
    }

    private async Task ReloadAsync()
    {
        _now = Clock.GetUtcNow();
        var actor = await GetActorAsync();
        var job = await LoadJobAsync(actor, _workspace!, Name);
        if (!job.IsSuccess)
        {
            _notFound = job.Errors[0].Message;
            _job = null;
            return;
        }

        _notFound = null;
        _job = job.Value;
        _timeline = TimelineStep.Build(_job.Transitions, _job.State);
        if (_job.FromRecord)
        {
            _logNotice = "The pods are gone: these are the last lines of each pod's log that the studio kept.";
        }
    }

    /// <summary>Adds log lines (from the follow stream or the recorded tail) to the pod's view and the merged view.</summary>
    private void AppendLogs(IEnumerable<LogLineView> lines)
    {
        foreach (var line in lines)
        {
            if (!_logsByPod.TryGetValue(line.Pod, out var pod))
            {
                _logsByPod[line.Pod] = pod = [];
            }

            pod.Add(line);
            _merged.Add(line);
        }
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

        var parameters = new DialogParameters<ConfirmDialog>
        {
            { d => d.Title, $"Cancel job '{_job.Name}'?" },
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
            var problem = await CancelJobAsync(await GetActorAsync(), _workspace!, _job.Name);
            Snackbar.Add(problem ?? $"Job '{_job.Name}' canceled.", problem is null ? Severity.Success : Severity.Error);
            await ReloadAsync();
        }
        finally
        {
            _canceling = false;
        }
    }

    // SEAM: replaced by JobService calls when the contract lands.
    private void StartLive(Actor actor, string workspace)
    {
        _liveState = actor.UserId.Length > 0 && workspace.Length > 0 ? LiveState.Connecting : LiveState.Stale;
        AppendLogs([]);
    }

    private static Task<Studio.Domain.Common.Result<JobDetailView>> LoadJobAsync(Actor actor, string workspace, string name) =>
        Task.FromResult(Studio.Domain.Common.Result<JobDetailView>.Failure(Studio.Domain.Common.Error.NotFound($"Job '{name}' ({workspace}, {actor.UserId}).")));

    private static Task<string?> CancelJobAsync(Actor actor, string workspace, string name) => Task.FromResult<string?>($"{actor.UserId}/{workspace}/{name}");
}
