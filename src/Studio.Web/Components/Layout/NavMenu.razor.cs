using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Routing;
using MudBlazor;
using Studio.Web.Security;

namespace Studio.Web.Components.Layout;

public partial class NavMenu
{
    private static readonly NavEntry[] Entries =
    [
        new("/", "Overview", Icons.Material.Filled.Dashboard),
        new("/clusters", "Clusters", Icons.Material.Filled.Hub),
        new("/compute", "Compute", Icons.Material.Filled.Memory),
        new("/instance-types", "Instance types", Icons.Material.Filled.Tune),
        new("/jobs", "Jobs", Icons.Material.Filled.PlayCircle),
        new("/environments", "Environments", Icons.Material.Filled.Inventory2),
        new("/endpoints", "Endpoints", Icons.Material.Filled.Api),
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

    protected override void OnInitialized() => Navigation.LocationChanged += OnLocationChanged;

    protected override async Task OnParametersSetAsync()
    {
        var user = AuthenticationState is null ? null : (await AuthenticationState).User;
        _administrator = user is not null && (await Authorization.AuthorizeAsync(user, Policies.Administrator)).Succeeded;
    }

    /// <summary>The overview matches only itself; every other entry also matches the pages under it (a cluster, a job).</summary>
    private bool IsActive(string href)
    {
        var path = "/" + Navigation.ToBaseRelativePath(Navigation.Uri).Split('?', '#')[0];
        return href == "/" ? path == "/" : path == href || path.StartsWith(href + "/", StringComparison.OrdinalIgnoreCase);
    }

    private void OnLocationChanged(object? sender, LocationChangedEventArgs e) => _ = InvokeAsync(StateHasChanged);

    public void Dispose() => Navigation.LocationChanged -= OnLocationChanged;

    private sealed record NavEntry(string Href, string Text, string Icon, bool AdministratorsOnly = false);
}
