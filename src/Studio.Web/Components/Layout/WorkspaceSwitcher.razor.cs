using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;
using Studio.Infrastructure.Workspaces;
using Studio.Web.Model;

namespace Studio.Web.Components.Layout;

public partial class WorkspaceSwitcher : IDisposable
{
    private IReadOnlyList<WorkspaceSummary>? _workspaces;

    [Inject]
    public required WorkspaceCatalog Catalog { get; init; }

    [Inject]
    public required UserPreferences Preferences { get; init; }

    [Inject]
    public required IJSRuntime JS { get; init; }

    protected override async Task OnInitializedAsync()
    {
        Catalog.Changed += OnCatalogChanged;
        Preferences.Changed += OnPreferencesChanged;
        await LoadAsync();
    }

    private async Task LoadAsync()
    {
        _workspaces = await Catalog.ListAsync(await GetActorAsync());
        var current = Preferences.CurrentWorkspace;
        if (current is null || !_workspaces.Any(w => w.Name == current))
        {
            // The remembered workspace is gone (deleted, renamed, or never chosen): fall back to the first one.
            Preferences.SetWorkspace(_workspaces.FirstOrDefault()?.Name);
        }
    }

    private async Task SelectAsync(string name)
    {
        Preferences.SetWorkspace(name);
        await JS.InvokeVoidAsync("studio.setCookie", UserPreferences.WorkspaceCookie, name, 365);
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
