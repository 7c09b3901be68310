using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;
using MudBlazor;
using Studio.Infrastructure.Environments;
using Studio.Web.Components.Dialogs;

namespace Studio.Web.Components.Pages;

/// <summary>
/// Named environments of the current workspace (every version) and the studio-wide ones; data scientists register and
/// remove versions. The filter (the list shell's <c>?q=</c>) and the studio-wide toggle live in the URL.
/// </summary>
public partial class Environments
{
    private const string NoMatch = "Change the filter or show the studio-wide environments.";

    private IReadOnlyList<EnvironmentSummary>? _environments;
    private string? _problem;
    private bool _canRegister;
    private bool _dialogOpen;
    private bool _showShared = true;

    [Inject]
    public required EnvironmentService Service { get; init; }

    [Inject]
    public required IJSRuntime Js { get; init; }

    /// <summary><c>?shared=false</c> hides the studio-wide environments.</summary>
    [SupplyParameterFromQuery(Name = "shared")]
    public bool? Shared { get; set; }

    /// <summary>The environments the studio-wide toggle keeps; the list shell applies the text filter (<c>?q=</c>).</summary>
    private IReadOnlyList<EnvironmentSummary> Shown =>
        [.. (_environments ?? []).Where(e => _showShared || e.Source == EnvironmentSource.Workspace)];

    private static bool Matches(EnvironmentSummary e, string filter) =>
        e.Name.Contains(filter, StringComparison.OrdinalIgnoreCase) || e.Image.Contains(filter, StringComparison.OrdinalIgnoreCase);

    protected override async Task OnInitializedAsync() => await LoadAsync();

    protected override void OnParametersSet()
    {
        _showShared = Shared ?? true;
    }

    private async Task LoadAsync()
    {
        var result = await Service.ListAsync(Workspace.Actor, Workspace.Name, CircuitToken);
        _environments = result.IsSuccess ? result.Value : [];
        _problem = result.IsSuccess ? null : result.Errors[0].Message;
        _canRegister = result.IsSuccess && Workspace.CanSubmit;
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
