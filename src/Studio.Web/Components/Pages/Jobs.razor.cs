using Microsoft.AspNetCore.Components;
using MudBlazor;
using Studio.Domain.Jobs;
using Studio.Infrastructure.Compute;
using Studio.Infrastructure.Jobs;
using Studio.Infrastructure.Live;
using Studio.Web.Components.Controls;
using Studio.Web.Components.Dialogs;
using Studio.Web.Model;

namespace Studio.Web.Components.Pages;

/// <summary>
/// The jobs of the current workspace: filters, sort and page in the URL, one page loaded from the server at a time,
/// live updates from the job feed (coalesced), bulk cancel.
/// </summary>
public partial class Jobs
{
    private static readonly int[] PageSizes = [.. JobListQuery.PageSizes];

    private readonly HashSet<string> _selected = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();

    private ListShell<JobSummary>? _list;
    private IReadOnlyList<JobSummary> _rows = [];
    private IReadOnlyList<string> _computes = [];
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

    [SupplyParameterFromQuery(Name = "size")]
    public int? PageSizeParameter { get; set; }

    [Inject]
    public required ComputeService Computes { get; init; }

    [Inject]
    public required JobQueryService JobQueries { get; init; }

    [Inject]
    public required JobCancellationService JobCancellation { get; init; }

    private JobListQuery Query { get; set; } = new();

    /// <summary>The filters the list shell does not own (it keeps the text, page, size and sort): a change reloads the rows.</summary>
    private string FilterKey => string.Join('\n', string.Join(',', Query.States), Query.Compute, Query.Submitter, Query.Experiment);

    private bool OwnFilters => Query.States.Count > 0 || Query.Compute is not null || Query.Submitter is not null || Query.Experiment is not null;

    private bool AllSelected => _rows.Count > 0 && _rows.Where(r => !JobDisplay.IsTerminal(r.State)).All(r => _selected.Contains(r.Name)) && _selected.Count > 0;

    protected override async Task OnParametersSetAsync()
    {
        Query = JobListQuery.Parse(StatusParameter, ComputeParameter, SubmitterParameter, ExperimentParameter, TextParameter, SortParameter, DescendingParameter, null, PageSizeParameter);
        if (!_loaded)
        {
            await LoadWorkspaceAsync();
        }
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
                if (started && _list is not null)
                {
                    await _list.ReloadAsync();
                }
            });
            started = true;
        }

        _liveState = live.IsSuccess ? LiveState.Live : LiveState.Stale;
    }

    /// <summary>One page of jobs, as the list shell asks for it (text, page, size and sort) with this page's filters.</summary>
    private async Task<ListPage<JobSummary>> LoadPageAsync(ListRequest request, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stop.Token);
        var query = Query with { Text = request.Filter, Sort = request.Sort ?? "created", Descending = request.Descending, Page = request.Page, PageSize = request.PageSize };
        var page = await JobQueries.ListAsync(Workspace.Actor, Workspace.Name, query.ToServiceQuery(), stop.Token);
        _now = Clock.GetUtcNow();
        _rows = page.IsSuccess ? page.Value.Items : [];
        _selected.IntersectWith(_rows.Where(r => !JobDisplay.IsTerminal(r.State)).Select(r => r.Name));
        StateHasChanged();
        return page.IsSuccess ? new ListPage<JobSummary>(page.Value.Items, page.Value.Total) : new ListPage<JobSummary>([], 0, page.Errors[0].Message);
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
            await (_list?.ReloadAsync() ?? Task.CompletedTask);
        }
        finally
        {
            _canceling = false;
        }
    }
}
