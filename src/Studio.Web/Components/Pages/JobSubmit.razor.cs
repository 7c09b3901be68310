using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Forms;
using MudBlazor;
using Studio.Domain.InstanceTypes;
using Studio.Web.Model;

namespace Studio.Web.Components.Pages;

/// <summary>
/// The submit form: fields with per-field messages, import of a CLI v2 YAML file, a pre-flight panel and a preview of
/// the manifests that refresh (debounced) as the fields change; prefilled from a job for clone-and-edit and re-run.
/// The form's state and logic live in <see cref="JobSubmitSession"/>; the page shows it and reads files.
/// </summary>
public partial class JobSubmit
{
    private const int MaxYamlBytes = 256 * 1024;
    private bool _importOpen;
    private bool _showYaml = true;

    /// <summary>A job to prefill from (clone-and-edit, re-run).</summary>
    [SupplyParameterFromQuery(Name = "from")]
    public string? From { get; set; }

    /// <summary>With <see cref="From"/>: the same job again, unchanged unless the user edits it.</summary>
    [SupplyParameterFromQuery(Name = "rerun")]
    public bool Rerun { get; set; }

    /// <summary>Opens the YAML import panel.</summary>
    [SupplyParameterFromQuery(Name = "import")]
    public bool Import { get; set; }

    [Inject]
    public required JobSubmitSession Session { get; init; }

    protected override async Task OnInitializedAsync()
    {
        _importOpen = Import;
        await Session.OpenAsync(Workspace, From, Rerun, work => InvokeAsync(async () =>
        {
            await work();
            StateHasChanged();
        }));
    }

    protected override ValueTask DisposeAsyncCore()
    {
        Session.Dispose();
        return ValueTask.CompletedTask;
    }

    private async Task UploadAsync(InputFileChangeEventArgs args)
    {
        var file = args.File;
        if (file.Size > MaxYamlBytes)
        {
            Session.RejectFile($"'{file.Name}' is {file.Size / 1024} KiB; a job file is at most {MaxYamlBytes / 1024} KiB.");
            return;
        }

        using var reader = new StreamReader(file.OpenReadStream(MaxYamlBytes, CircuitToken));
        Session.Yaml = await reader.ReadToEndAsync(CircuitToken);
        await ImportAsync();
    }

    private async Task ImportAsync()
    {
        if (await Session.ImportAsync())
        {
            _importOpen = false;
        }
    }

    private async Task SubmitAsync()
    {
        if (await Session.SubmitAsync() is { } submitted)
        {
            Snackbar.Add(submitted.Created ? $"Job '{submitted.Name}' submitted." : $"Job '{submitted.Name}' was already submitted.", Severity.Success);
            Navigation.NavigateTo(Workspace.JobHref(submitted.Name));
        }
    }

    private Task<IEnumerable<string>> SearchEnvironmentsAsync(string? text, CancellationToken cancellationToken) =>
        Task.FromResult(Session.SearchEnvironments(text));

    private static Color VerdictColour(FitVerdict verdict) => verdict switch
    {
        FitVerdict.FitsNow => Color.Success,
        FitVerdict.WillQueue => Color.Warning,
        _ => Color.Error,
    };

    private static string VerdictIcon(FitVerdict verdict) => verdict switch
    {
        FitVerdict.FitsNow => Icons.Material.Filled.CheckCircle,
        FitVerdict.WillQueue => Icons.Material.Filled.HourglassTop,
        _ => Icons.Material.Filled.Block,
    };

    private static string VerdictText(FitVerdict verdict) => verdict switch
    {
        FitVerdict.FitsNow => "Fits now",
        FitVerdict.WillQueue => "Will queue",
        _ => "Never fits",
    };
}
