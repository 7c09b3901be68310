using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;
using MudBlazor;
using Studio.Infrastructure.Environments;
using Studio.Web.Components.Dialogs;

namespace Studio.Web.Components.Pages;

/// <summary>
/// Named environments of the current workspace (every version) and the studio-wide ones; data scientists register and
/// remove versions. The filter and the studio-wide toggle live in the URL.
/// </summary>
public partial class Environments
{
    private IReadOnlyList<EnvironmentSummary>? _environments;
    private string? _problem;
    private bool _canRegister;
    private bool _dialogOpen;
    private string? _filter;
    private bool _showShared = true;

    [Inject]
    public required EnvironmentService Service { get; init; }

    [Inject]
    public required IJSRuntime Js { get; init; }

    /// <summary>Text filter from the URL (<c>?q=</c>).</summary>
    [SupplyParameterFromQuery(Name = "q")]
    public string? Query { get; set; }

    /// <summary><c>?shared=false</c> hides the studio-wide environments.</summary>
    [SupplyParameterFromQuery(Name = "shared")]
    public bool? Shared { get; set; }

    private IReadOnlyList<EnvironmentSummary> Visible =>
        [.. (_environments ?? [])
            .Where(e => _showShared || e.Source == EnvironmentSource.Workspace)
            .Where(e => string.IsNullOrWhiteSpace(_filter)
                || e.Name.Contains(_filter, StringComparison.OrdinalIgnoreCase)
                || e.Image.Contains(_filter, StringComparison.OrdinalIgnoreCase))];

    protected override async Task OnInitializedAsync() => await LoadAsync();

    protected override void OnParametersSet()
    {
        _filter = Query;
        _showShared = Shared ?? true;
    }

    private async Task LoadAsync()
    {
        var result = await Service.ListAsync(Workspace.Actor, Workspace.Name, CircuitToken);
        _environments = result.IsSuccess ? result.Value : [];
        _problem = result.IsSuccess ? null : result.Errors[0].Message;
        _canRegister = result.IsSuccess && Workspace.CanSubmit;
    }

    private void OnFilterChanged(string? value)
    {
        _filter = value;
        Navigation.NavigateTo(Navigation.GetUriWithQueryParameter("q", string.IsNullOrWhiteSpace(value) ? null : value), replace: true);
    }

    private void OnShowSharedChanged(bool value)
    {
        _showShared = value;
        Navigation.NavigateTo(Navigation.GetUriWithQueryParameter("shared", value ? null : "false"), replace: true);
    }

    private async Task CopyAsync(string reference)
    {
        var copied = await Js.InvokeAsync<bool>("studio.copyText", reference);
        Snackbar.Add(copied ? $"Copied {reference}" : $"Copy it by hand: {reference}", copied ? Severity.Success : Severity.Info);
    }

    private async Task RegisterAsync()
    {
        if (_dialogOpen)
        {
            return;
        }

        _dialogOpen = true;
        try
        {
            var dialog = await Dialogs.ShowAsync<EnvironmentDialog>("Register environment", new DialogParameters<EnvironmentDialog> { { d => d.Workspace, Workspace.Name } }, new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true });
            var result = await dialog.Result;
            if (result is { Canceled: false, Data: EnvironmentSummary registered })
            {
                Snackbar.Add($"Registered {registered.Reference}", Severity.Success);
                await LoadAsync();
            }
        }
        finally
        {
            _dialogOpen = false;
        }
    }

    private async Task RemoveAsync(EnvironmentSummary environment)
    {
        if (environment.Version is null)
        {
            return;
        }

        var dialog = await Dialogs.ShowAsync<ConfirmDialog>("Remove environment version", new DialogParameters<ConfirmDialog>
        {
            { d => d.Title, "Remove environment version" },
            { d => d.Message, $"Remove {environment.Reference}? Jobs already submitted keep their image; new jobs naming this version will be refused." },
            { d => d.ConfirmText, "Remove" },
        });
        if ((await dialog.Result) is not { Canceled: false })
        {
            return;
        }

        var result = await Service.RemoveAsync(Workspace.Actor, Workspace.Name, environment.Name, environment.Version, CircuitToken);
        Snackbar.Add(result.IsSuccess ? $"Removed {environment.Reference}" : result.Errors[0].Message, result.IsSuccess ? Severity.Success : Severity.Error);
        await LoadAsync();
    }
}
