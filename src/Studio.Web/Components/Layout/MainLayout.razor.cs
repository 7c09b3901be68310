using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;
using Studio.Web.Components.Controls;
using Studio.Web.Model;

namespace Studio.Web.Components.Layout;

public partial class MainLayout
{
    private bool _drawerOpen = true;
    private StudioErrorBoundary? _errorBoundary;

    [Inject]
    public required UserPreferences Preferences { get; init; }

    [Inject]
    public required IJSRuntime JS { get; init; }

    [Inject]
    public required NavigationManager Navigation { get; init; }

    protected override void OnInitialized()
    {
        Preferences.Changed += OnPreferencesChanged;
        Navigation.LocationChanged += OnLocationChanged;
    }

    private void ToggleDrawer() => _drawerOpen = !_drawerOpen;

    private async Task ToggleDarkModeAsync()
    {
        Preferences.SetDarkMode(!Preferences.IsDarkMode);
        await JS.InvokeVoidAsync("studio.setCookie", UserPreferences.ThemeCookie, Preferences.IsDarkMode ? "dark" : "light", 365);
    }

    private void OnPreferencesChanged() => _ = InvokeAsync(StateHasChanged);

    /// <summary>Navigating away from a failed page recovers the error boundary.</summary>
    private void OnLocationChanged(object? sender, Microsoft.AspNetCore.Components.Routing.LocationChangedEventArgs e) =>
        _ = InvokeAsync(() => _errorBoundary?.Recover());

    public void Dispose()
    {
        Preferences.Changed -= OnPreferencesChanged;
        Navigation.LocationChanged -= OnLocationChanged;
    }
}
