using Microsoft.AspNetCore.Components;
using Studio.Infrastructure.Workspaces;
using Studio.Web.Model;

namespace Studio.Web.Components.Layout;

/// <summary>
/// Shows the workspace being worked in (the one in the address, else the one used last) and moves to another one by
/// address: the same section of the other workspace (<c>/w/a/jobs/x</c> → <c>/w/b/jobs</c>), or its jobs from elsewhere.
/// </summary>
public partial class WorkspaceSwitcher : IDisposable
{
    private IReadOnlyList<WorkspaceSummary>? _workspaces;

    [Inject]
    public required WorkspaceCatalog Catalog { get; init; }

    [Inject]
    public required UserPreferences Preferences { get; init; }

    [Inject]
    public required NavigationManager Navigation { get; init; }

    protected override async Task OnInitializedAsync()
    {
        Catalog.Changed += OnCatalogChanged;
        Preferences.Changed += OnPreferencesChanged;
        await LoadAsync();
    }

    private async Task LoadAsync()
    {
        _workspaces = await Catalog.ListAsync(await GetActorAsync(), CircuitToken);
        var current = Preferences.CurrentWorkspace;
        if (current is null || !_workspaces.Any(w => w.Name == current))
        {
            // The remembered workspace is gone (deleted, renamed, or never chosen): fall back to the first one.
            Preferences.SetWorkspace(_workspaces.FirstOrDefault()?.Name);
        }
    }

    private void Select(string name)
    {
        var section = WorkspaceRoutes.Parse(Navigation.ToBaseRelativePath(Navigation.Uri)).Section;
        Navigation.NavigateTo(WorkspaceRoutes.Section(name, section is not null && WorkspaceRoutes.Sections.Contains(section) ? section : "jobs"));
    }

    private void OnCatalogChanged() => _ = InvokeAsync(async () =>
    {
        await LoadAsync();
        StateHasChanged();
    });

    private void OnPreferencesChanged() => _ = InvokeAsync(StateHasChanged);

    public void Dispose()
    {
        Catalog.Changed -= OnCatalogChanged;
        Preferences.Changed -= OnPreferencesChanged;
    }
}
