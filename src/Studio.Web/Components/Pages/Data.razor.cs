using Microsoft.AspNetCore.Components;
using MudBlazor;
using Studio.Infrastructure.Assets;
using Studio.Web.Components.Dialogs;
using Studio.Web.Model;

namespace Studio.Web.Components.Pages;

/// <summary>The Data page of a workspace: its data assets (tab <c>assets</c>; data scientists create them) and datastores (tab <c>datastores</c>; administrators manage them). <c>?archived=true</c> lists archived ones too.</summary>
public partial class Data
{
    private static readonly IReadOnlyList<string> Tabs = ["assets", "datastores"];

    private IReadOnlyList<AssetSummary>? _assets;
    private string? _problem;
    private bool _canCreate;
    private bool _archived;
    private bool _dialogOpen;

    [Inject]
    public required DataAssetService Service { get; init; }

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

    private string WorkspaceAssetHref(string name) => WorkspaceRoutes.DataAsset(Workspace.Name, name);

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
            var dialog = await Dialogs.ShowAsync<AssetDialog>("Create data asset", new DialogParameters<AssetDialog> { { d => d.Workspace, Workspace.Name } }, new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true });
            if (await dialog.Result is { Canceled: false, Data: AssetVersionView created })
            {
                Snackbar.Add($"Created {created.Reference}", Severity.Success);
                Navigation.NavigateTo(WorkspaceRoutes.DataAsset(Workspace.Name, created.Name));
            }
        }
        finally
        {
            _dialogOpen = false;
        }
    }
}
