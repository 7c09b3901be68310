using Microsoft.AspNetCore.Components;
using MudBlazor;
using Studio.Infrastructure.Workspaces;
using Studio.Web.Components.Dialogs;
using Studio.Web.Model;

namespace Studio.Web.Components.Pages;

public partial class Workspaces
{
    private IReadOnlyList<WorkspaceSummary>? _workspaces;
    private bool _creating;

    [Inject]
    public required WorkspaceCatalog Catalog { get; init; }

    [Inject]
    public required UserPreferences Preferences { get; init; }

    private static bool Matches(WorkspaceSummary w, string filter) =>
        w.Name.Contains(filter, StringComparison.OrdinalIgnoreCase)
        || (w.Description?.Contains(filter, StringComparison.OrdinalIgnoreCase) ?? false);

    protected override async Task OnInitializedAsync() => await LoadAsync();

    private async Task LoadAsync() => _workspaces = await Catalog.ListAsync(await GetActorAsync());

    private async Task CreateAsync()
    {
        // A click that reaches the server before the browser shows the dialog must not open a second one.
        if (_creating)
        {
            return;
        }

        _creating = true;
        DialogResult? result;
        try
        {
            var dialog = await Dialogs.ShowAsync<WorkspaceDialog>("Create workspace");
            result = await dialog.Result;
        }
        finally
        {
            _creating = false;
        }

        if (result is { Canceled: false, Data: string name })
        {
            Snackbar.Add($"Workspace '{name}' created.", Severity.Success);
            await LoadAsync();
        }
    }

    private async Task RenameAsync(WorkspaceSummary workspace)
    {
        var parameters = new DialogParameters<WorkspaceDialog>
        {
            { d => d.Existing, workspace.Name },
            { d => d.ExistingDescription, workspace.Description },
        };
        var dialog = await Dialogs.ShowAsync<WorkspaceDialog>("Rename workspace", parameters);
        var result = await dialog.Result;
        if (result is { Canceled: false, Data: string name })
        {
            if (Preferences.CurrentWorkspace == workspace.Name)
            {
                Preferences.SetWorkspace(name);
            }

            Snackbar.Add($"Workspace saved as '{name}'.", Severity.Success);
            await LoadAsync();
        }
    }

    private async Task DeleteAsync(WorkspaceSummary workspace)
    {
        var parameters = new DialogParameters<ConfirmDialog>
        {
            { d => d.Title, $"Delete workspace '{workspace.Name}'?" },
            { d => d.Message, "Its members and records are removed. Clusters and their namespaces are not touched." },
        };
        var dialog = await Dialogs.ShowAsync<ConfirmDialog>("Delete workspace", parameters);
        var confirmed = await dialog.Result;
        if (confirmed is null || confirmed.Canceled)
        {
            return;
        }

        var result = await Catalog.DeleteAsync(await GetActorAsync(), workspace.Name);
        if (result.IsSuccess)
        {
            Snackbar.Add($"Workspace '{workspace.Name}' deleted.", Severity.Success);
            await LoadAsync();
        }
        else
        {
            Snackbar.Add(result.Errors[0].Message, Severity.Error);
        }
    }
}
