using Microsoft.AspNetCore.Components;
using MudBlazor;
using Studio.Domain.Jobs;
using Studio.Infrastructure.Compute;
using Studio.Infrastructure.Jobs;
using Studio.Infrastructure.Live;
using Studio.Web.Components.Dialogs;
using Studio.Web.Model;

namespace Studio.Web.Components.Pages;

/// <summary>
/// The jobs of the current workspace: filters, sort and page in the URL, one page loaded from the server at a time,
/// live updates from the job feed (coalesced), bulk cancel.
/// </summary>
public partial class Jobs
{
    private static readonly (string? Key, string Title)[] Columns =
    [
        ("status", "Status"), ("name", "Name"), ("compute", "Compute"), (null, "Instance type"), ("submitter", "Submitter"), ("created", "Created"), ("duration", "Duration"),
    ];

    private readonly HashSet<string> _selected = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();
    private IReadOnlyList<JobSummary>? _rows;
    private IReadOnlyList<string> _computes = [];
    private int _total;
    private string? _problem;
    private string? _mine;
    private bool _canSubmit;
    private bool _canceling;
    private LiveState _liveState = LiveState.Connecting;
    private DateTimeOffset _now;
    private IAsyncDisposable? _jobRecords;
    private bool _loaded;

    [SupplyParameterFromQuery(Name = "status")]
    public string? StatusParameter { get; set; }

    [SupplyParameterFromQuery(Name = "compute")]
    public string? ComputeParameter { get; set; }

    [SupplyParameterFromQuery(Name = "submitter")]
    public string? SubmitterParameter { get; set; }

    [SupplyParameterFromQuery(Name = "experiment")]
    public string? ExperimentParameter { get; set; }

    [SupplyParameterFromQuery(Name = "q")]
    public string? TextParameter { get; set; }

    [SupplyParameterFromQuery(Name = "sort")]
    public string? SortParameter { get; set; }

    [SupplyParameterFromQuery(Name = "desc")]
    public string? DescendingParameter { get; set; }

    [SupplyParameterFromQuery(Name = "page")]
    public int? PageParameter { get; set; }

    [SupplyParameterFromQuery(Name = "size")]
    public int? PageSizeParameter { get; set; }

    [Inject]
    public required ComputeService Computes { get; init; }

    [Inject]
    public required JobQueryService JobQueries { get; init; }

    [Inject]
    public required JobCancellationService JobCancellation { get; init; }

    private JobListQuery Query { get; set; } = new();

    private int PageCount => Math.Max(1, (int)Math.Ceiling(_total / (double)Query.PageSize));

    private string RangeText => _total == 0 ? "No jobs" : $"{(Query.Page * Query.PageSize) + 1}–{Math.Min(_total, (Query.Page + 1) * Query.PageSize)} of {_total} job(s)";

    private bool AllSelected => _rows is { Count: > 0 } rows && rows.Where(r => !JobDisplay.IsTerminal(r.State)).All(r => _selected.Contains(r.Name)) && _selected.Count > 0;

    protected override async Task OnParametersSetAsync()
    {
        Query = JobListQuery.Parse(StatusParameter, ComputeParameter, SubmitterParameter, ExperimentParameter, TextParameter, SortParameter, DescendingParameter, PageParameter, PageSizeParameter);
        if (!_loaded)
        {
            await LoadWorkspaceAsync();
        }

        await LoadPageAsync();
    }

    protected override ValueTask DisposeAsyncCore()
    {
        _stop.Cancel();
        _stop.Dispose();
        return ValueTask.CompletedTask;
    }

    private async Task LoadWorkspaceAsync()
    {
        _loaded = true;
        _mine = Workspace.Actor.UserId;
        _canSubmit = Workspace.CanSubmit;
        var computes = await Computes.ListAsync(Workspace.Actor, Workspace.Name, _stop.Token);
        _computes = computes.IsSuccess ? [.. computes.Value.Select(c => c.Name)] : [];

        // One subscription per page: changes of this workspace's job records reload the visible page, at most one
        // batch per ~100 ms.
        if (_jobRecords is not null)
        {
            await _jobRecords.DisposeAsync();
            _jobRecords = null;
        }

        var live = await Feed.AuthorizeAsync(Workspace.Actor, LiveScope.Workspace(Workspace.Name), _stop.Token);
        if (live.IsSuccess)
        {
            var started = false;
            (_, _jobRecords) = await FollowAsync(Feed.SubscribeAsync(live.Value.JobsOnly(), null, LiveToken), async _ =>
            {
                if (started)
                {
                    await LoadPageAsync();
                }
            });
            started = true;
        }

        _liveState = live.IsSuccess ? LiveState.Live : LiveState.Stale;
    }

    private async Task LoadPageAsync()
    {
        _now = Clock.GetUtcNow();
        var page = await JobQueries.ListAsync(Workspace.Actor, Workspace.Name, Query.ToServiceQuery(), _stop.Token);
        _problem = page.IsSuccess ? null : page.Errors[0].Message;
        _rows = page.IsSuccess ? page.Value.Items : [];
        _total = page.IsSuccess ? page.Value.Total : 0;
        _selected.IntersectWith(_rows.Where(r => !JobDisplay.IsTerminal(r.State)).Select(r => r.Name));

        // A page past the end (jobs went away, or an old link): go to the last page that has rows.
        if (_rows.Count == 0 && _total > 0 && Query.Page > 0)
        {
            await NavigateAsync(Query with { Page = PageCount - 1 });
        }
    }

    /// <summary>Queued, Starting and Running: the jobs that still hold or wait for capacity.</summary>
    private static IReadOnlyList<JobState> ActiveStates { get; } = [JobState.Queued, JobState.Starting, JobState.Running];

    private bool IsActiveOnly => Query.States.SequenceEqual(ActiveStates);

    private Task OnStatesChangedAsync(IEnumerable<JobState> states) =>
        NavigateAsync(Query with { States = [.. states.Distinct().Order()], Page = 0 });

    private Task NavigateAsync(JobListQuery query)
    {
        Navigation.NavigateTo(Navigation.GetUriWithQueryParameters(query.ToQuery()), replace: false);
        return Task.CompletedTask;
    }

    private Task SortAsync(string key) =>
        NavigateAsync(Query with { Sort = key, Descending = Query.Sort != key || !Query.Descending, Page = 0 });

    private void Select(string name, bool selected)
    {
        if (selected)
        {
            _selected.Add(name);
        }
        else
        {
            _selected.Remove(name);
        }
    }

    private void SelectAll(bool selected)
    {
        _selected.Clear();
        if (selected && _rows is not null)
        {
            _selected.UnionWith(_rows.Where(r => !JobDisplay.IsTerminal(r.State)).Select(r => r.Name));
        }
    }

    private async Task CancelSelectedAsync()
    {
        var names = _selected.Order(StringComparer.Ordinal).ToList();
        var parameters = new DialogParameters<ConfirmDialog>
        {
            { d => d.Title, names.Count == 1 ? $"Cancel job '{names[0]}'?" : $"Cancel {names.Count} jobs?" },
            { d => d.Message, "Their pods are deleted; logs and events recorded so far are kept. This cannot be undone." },
            { d => d.ConfirmText, names.Count == 1 ? "Cancel job" : $"Cancel {names.Count} jobs" },
        };
        var dialog = await Dialogs.ShowAsync<ConfirmDialog>("Cancel jobs", parameters);
        if ((await dialog.Result) is not { Canceled: false })
        {
            return;
        }

        _canceling = true;
        try
        {
            var result = await JobCancellation.CancelManyAsync(Workspace.Actor, Workspace.Name, names, _stop.Token);
            var failures = result.IsSuccess ? result.Value.Where(r => !r.Canceled).Select(r => $"{r.Name}: {r.Problem}").ToList() : [.. result.Errors.Select(e => e.Message)];
            _selected.Clear();
            Snackbar.Add(
                failures.Count == 0 ? $"Canceled {names.Count} job(s)." : $"Canceled {names.Count - failures.Count} of {names.Count}. {string.Join(" ", failures)}",
                failures.Count == 0 ? Severity.Success : Severity.Warning);
            await LoadPageAsync();
        }
        finally
        {
            _canceling = false;
        }
    }
}
