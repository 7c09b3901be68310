using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Routing;
using MudBlazor;
using Studio.Web.Model;
using Studio.Web.Security;

namespace Studio.Web.Components.Layout;

public partial class NavMenu
{
    private static readonly NavEntry[] Entries =
    [
        new("/", "Overview", Icons.Material.Filled.Dashboard),
        new("/clusters", "Clusters", Icons.Material.Filled.Hub),
        new("compute", "Compute", Icons.Material.Filled.Memory, InWorkspace: true),
        new("/instance-types", "Instance types", Icons.Material.Filled.Tune),
        new("jobs", "Jobs", Icons.Material.Filled.PlayCircle, InWorkspace: true),
        new("data", "Data", Icons.Material.Filled.Dataset, InWorkspace: true),
        new("models", "Models", Icons.Material.Filled.ModelTraining, InWorkspace: true),
        new("environments", "Environments", Icons.Material.Filled.Inventory2, InWorkspace: true),
        new("endpoints", "Endpoints", Icons.Material.Filled.Api, InWorkspace: true),
        new("/monitoring", "Monitoring", Icons.Material.Filled.Insights),
        new("/workspaces", "Workspaces", Icons.Material.Filled.Workspaces),
        new("/administration", "Administration", Icons.Material.Filled.AdminPanelSettings, AdministratorsOnly: true),
    ];

    private bool _administrator;

    [CascadingParameter]
    public Task<AuthenticationState>? AuthenticationState { get; set; }

    [Inject]
    public required IAuthorizationService Authorization { get; init; }

    [Inject]
    public required NavigationManager Navigation { get; init; }

    [Inject]
    public required UserPreferences Preferences { get; init; }

    protected override void OnInitialized()
    {
        Navigation.LocationChanged += OnLocationChanged;
        Preferences.Changed += OnPreferencesChanged;
    }

    protected override async Task OnParametersSetAsync()
    {
        var user = AuthenticationState is null ? null : (await AuthenticationState).User;
        _administrator = user is not null && (await Authorization.AuthorizeAsync(user, Policies.Administrator)).Succeeded;
    }

    /// <summary>
    /// A workspace section links into the workspace being shown (or the one used last); without one, the old address
    /// sends the person to their first workspace.
    /// </summary>
    private string Href(NavEntry entry)
    {
        if (!entry.InWorkspace)
        {
            return entry.Path;
        }

        var workspace = WorkspaceRoutes.Parse(Navigation.ToBaseRelativePath(Navigation.Uri)).Workspace ?? Preferences.CurrentWorkspace;
        return workspace is null ? "/" + entry.Path : WorkspaceRoutes.Section(workspace, entry.Path);
    }

    /// <summary>The overview matches only itself; every other entry also matches the pages under it (a cluster, a job).</summary>
    private bool IsActive(NavEntry entry)
    {
        var relative = Navigation.ToBaseRelativePath(Navigation.Uri);
        if (entry.InWorkspace)
        {
            return WorkspaceRoutes.Parse(relative).Section == entry.Path;
        }

        var path = "/" + relative.Split('?', '#')[0];
        return entry.Path == "/" ? path == "/" : path == entry.Path || path.StartsWith(entry.Path + "/", StringComparison.OrdinalIgnoreCase);
    }

    private void OnLocationChanged(object? sender, LocationChangedEventArgs e) => _ = InvokeAsync(StateHasChanged);

    private void OnPreferencesChanged() => _ = InvokeAsync(StateHasChanged);

    public void Dispose()
    {
        Navigation.LocationChanged -= OnLocationChanged;
        Preferences.Changed -= OnPreferencesChanged;
    }

    /// <summary>A menu entry: a path, or for a workspace section its last segment under <c>/w/{workspace}/</c>.</summary>
    private sealed record NavEntry(string Path, string Text, string Icon, bool AdministratorsOnly = false, bool InWorkspace = false);
}
