using Microsoft.AspNetCore.Components;
using MudBlazor;
using Studio.Domain;
using Studio.Domain.Jobs;
using Studio.Infrastructure.Jobs;

namespace Studio.Web.Components.Controls;

/// <summary>The job page's Inputs tab: read from <see cref="JobInputs"/> again when the job's state changes (fetched once its command starts).</summary>
public partial class JobInputsPanel
{
    private IReadOnlyList<JobInputView>? _inputs;
    private string? _problem;
    private (string Job, JobState State)? _loaded;

    [Inject]
    public required IServiceProvider Services { get; init; }

    [Parameter, EditorRequired]
    public required string WorkspaceName { get; set; }

    [Parameter, EditorRequired]
    public required string JobName { get; set; }

    [Parameter]
    public JobState State { get; set; }

    protected override async Task OnParametersSetAsync()
    {
        if (_loaded == (JobName, State))
        {
            return;
        }

        _loaded = (JobName, State);
        if (Services.GetService<JobInputs>() is not { } inputs)
        {
            _problem = "This studio has no artifact store configured (Studio:Artifacts:Store).";
            return;
        }

        var listed = await inputs.ListAsync(await GetActorAsync(), WorkspaceName, JobName, CircuitToken);
        _inputs = listed.IsSuccess ? listed.Value : null;
        _problem = listed.IsSuccess ? null : listed.Errors[0].Message;
    }

    private static string ShortHash(string snapshot) => snapshot.Length > 19 ? snapshot[..19] + "…" : snapshot;

    /// <summary>The reason in a few words (the tooltip has it all).</summary>
    private static string WhyShort(JobInputView input) => input.ModeAsked switch
    {
        "eval_download" => "same as download",
        _ => "no CSI driver: downloaded read-only",
    };

    private static string SizeText(JobInputView input) => input switch
    {
        { SizeBytes: { } bytes, Files: { } files } => $"{HumanUnits.Bytes(bytes)} · {files} file{(files == 1 ? string.Empty : "s")}{(files >= JobInputs.MaxCounted ? "+" : string.Empty)}",
        { Fetch: JobInputView.Value } => string.Empty,
        _ => "unknown",
    };

    private static Color FetchColor(string fetch) => fetch switch
    {
        JobInputView.Fetched => Color.Success,
        JobInputView.Failed => Color.Error,
        _ => Color.Default,
    };

    private static string FetchText(string fetch) => fetch switch
    {
        JobInputView.Fetched => "fetched",
        JobInputView.Failed => "fetch failed",
        JobInputView.Direct => "read by the command",
        _ => "not yet",
    };
}
