using Microsoft.AspNetCore.Components;
using MudBlazor;
using Studio.Infrastructure.Assets;
using Studio.Web.Components.Dialogs;
using Studio.Web.Model;

namespace Studio.Web.Components.Pages;

/// <summary>The models of a workspace; data scientists register them. <c>?archived=true</c> lists archived ones too.</summary>
public partial class Models
{
    private IReadOnlyList<AssetSummary>? _assets;
    private string? _problem;
    private bool _canCreate;
    private bool _archived;
    private bool _dialogOpen;

    [Inject]
    public required ModelService Service { get; init; }

    [SupplyParameterFromQuery(Name = "archived")]
    public bool? Archived { get; set; }

    protected override async Task OnParametersSetAsync()
    {
        if (_assets is null || _archived != (Archived ?? false))
        {
            _archived = Archived ?? false;
            await LoadAsync();
        }
    }

    private string WorkspaceAssetHref(string name) => WorkspaceRoutes.Model(Workspace.Name, name);

    private async Task LoadAsync()
    {
        var result = await Service.ListAsync(Workspace.Actor, Workspace.Name, _archived, CircuitToken);
        _assets = result.IsSuccess ? result.Value : [];
        _problem = result.IsSuccess ? null : result.Errors[0].Message;
        _canCreate = result.IsSuccess && Workspace.CanSubmit;
    }

    private void OnArchivedChanged(bool value) =>
        Navigation.NavigateTo(Navigation.GetUriWithQueryParameter("archived", value ? "true" : null), replace: true);

    private async Task CreateAsync()
    {
        if (_dialogOpen)
        {
            return;
        }

        _dialogOpen = true;
        try
        {
            var dialog = await Dialogs.ShowAsync<AssetDialog>("Register model", new DialogParameters<AssetDialog> { { d => d.Workspace, Workspace.Name }, { d => d.IsModel, true } }, new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true });
            if (await dialog.Result is { Canceled: false, Data: AssetVersionView created })
            {
                Snackbar.Add($"Registered {created.Reference}", Severity.Success);
                Navigation.NavigateTo(WorkspaceRoutes.Model(Workspace.Name, created.Name));
            }
        }
        finally
        {
            _dialogOpen = false;
        }
    }
}
