using Microsoft.AspNetCore.Components;
using MudBlazor;
using Studio.Infrastructure.Live;
using Studio.Web.Components.Dialogs;
using Studio.Web.Model;
using JobInfo = Studio.Infrastructure.Jobs.JobDetail;

namespace Studio.Web.Components.Pages;

/// <summary>
/// One job: state and actions, timeline, explainer, pods by rank, events, logs (per pod and merged, followed live while
/// it runs), resources, the submitted spec and the applied manifests. Works from the studio's record once pods are gone.
/// What it shows and how logs are read live in <see cref="JobDetailSession"/>; the page follows the job's record and asks.
/// </summary>
public partial class JobDetail
{
    private const string MergedSource = JobDetailSession.MergedSource;
    private static readonly string[] Tabs = ["logs", "pods", "events", "resources", "code", "inputs", "outputs", "spec", "manifests"];

    private string? _loadedName;
    private bool _canceling;
    private bool _follow = true;
    private IAsyncDisposable? _jobRecord;

    [Parameter]
    public string Name { get; set; } = string.Empty;

    /// <summary>The log source (a pod name, or none for the merged view of all ranks), in the URL.</summary>
    [SupplyParameterFromQuery(Name = "log")]
    public string? Log { get; set; }

    [Inject]
    public required JobDetailSession Session { get; init; }

    /// <summary>The job, once loaded (the detail shell shows the body only then).</summary>
    private JobInfo Job => Session.Job ?? throw new InvalidOperationException("The job is not loaded yet.");

    private string LogSource => Session.LogSource(Log);

    private IReadOnlyList<LogLineView> VisibleLines => Session.Lines(LogSource);

    private bool FromRecord => Session.FromRecord;

    protected override async Task OnParametersSetAsync()
    {
        if (_loadedName == Name)
        {
            return;
        }

        _loadedName = Name;
        await Session.OpenAsync(Workspace.Actor, Workspace.Name, Name, work => InvokeAsync(() =>
        {
            work();
            StateHasChanged();
        }));
        await FollowJobRecordAsync();
    }

    /// <summary>Reloads the job whenever its record changes (its status), at most one batch per ~100 ms.</summary>
    private async Task FollowJobRecordAsync()
    {
        if (_jobRecord is not null)
        {
            await _jobRecord.DisposeAsync();
            _jobRecord = null;
        }

        if (await Feed.AuthorizeAsync(Workspace.Actor, LiveScope.Job(Workspace.Name, Name), LiveToken) is not { IsSuccess: true } target)
        {
            return;
        }

        var started = false;
        (_, _jobRecord) = await FollowAsync(Feed.SubscribeAsync(target.Value.JobsOnly(), null, LiveToken), async _ =>
        {
            if (started)
            {
                await Session.ReloadAsync();
            }
        });
        started = true;
    }

    protected override ValueTask DisposeAsyncCore()
    {
        Session.Dispose();
        return ValueTask.CompletedTask;
    }

    private void LogSourceChanged(string? source) =>
        Navigation.NavigateTo(Navigation.GetUriWithQueryParameter("log", source is null or MergedSource ? null : source), replace: true);

    private async Task CancelAsync()
    {
        if (Session.Job is not { } job)
        {
            return;
        }

        var name = job.Summary.Name;
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
            var result = await Session.CancelAsync();
            Snackbar.Add(result.IsSuccess ? $"Job '{name}' canceled." : result.Errors[0].Message, result.IsSuccess ? Severity.Success : Severity.Error);
        }
        finally
        {
            _canceling = false;
        }
    }
}
