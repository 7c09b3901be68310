using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Routing;
using Microsoft.JSInterop;
using MudBlazor;
using Studio.Web.Components.Controls;
using Studio.Web.Components.Dialogs;
using Studio.Web.Model;

namespace Studio.Web.Components.Layout;

public partial class MainLayout
{
    private DrawerState _drawer = DrawerState.Initial;
    private bool _narrow;
    private StudioErrorBoundary? _errorBoundary;
    private DotNetObjectReference<MainLayout>? _self;
    private IDialogReference? _quickFind;
    private bool _quickFindOpening;

    private enum DrawerState
    {
        /// <summary>As the page loaded: open on a wide screen, hidden on a narrow one (MudBlazor's responsive CSS).</summary>
        Initial,
        Open,
        Closed,
    }

    [Inject]
    public required UserPreferences Preferences { get; init; }

    [Inject]
    public required IJSRuntime JS { get; init; }

    [Inject]
    public required NavigationManager Navigation { get; init; }

    [Inject]
    public required IDialogService Dialogs { get; init; }

    /// <summary>Whether the drawer shows, as far as the server knows (a narrow screen hides it until toggled).</summary>
    private bool DrawerShown => _drawer == DrawerState.Open || (_drawer == DrawerState.Initial && !_narrow);

    private string LayoutClass => _drawer == DrawerState.Closed
        ? "mud-layout mud-drawer-left-clipped-always"
        : "mud-layout mud-drawer-open-responsive-md-left mud-drawer-left-clipped-always";

    /// <summary>MudDrawer's classes for a responsive (md), clipped, fixed left drawer in the current state.</summary>
    private string DrawerClass => "mud-drawer mud-drawer-fixed mud-drawer-pos-left mud-drawer-md mud-drawer-clipped-always mud-elevation-1 mud-drawer-responsive " + _drawer switch
    {
        DrawerState.Initial => "mud-drawer--open mud-drawer--initial",
        DrawerState.Open => "mud-drawer--open",
        _ => "mud-drawer--closed",
    };

    protected override void OnInitialized()
    {
        Preferences.Changed += OnPreferencesChanged;
        Navigation.LocationChanged += OnLocationChanged;
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (firstRender)
        {
            _self = DotNetObjectReference.Create(this);
            try
            {
                await JS.InvokeVoidAsync("studio.onQuickFind", _self);
            }
            catch (JSDisconnectedException)
            {
                // the circuit went away before the first render finished
            }
        }
    }

    /// <summary>Opens the quick finder (the app bar's "Go to" button, or Ctrl+K anywhere); a second Ctrl+K leaves the open one.</summary>
    [JSInvokable]
    public async Task OpenQuickFindAsync()
    {
        // Two presses in a row (or a press while the button's click is handled) open one finder.
        if (_quickFindOpening || _quickFind is { Result.IsCompleted: false })
        {
            return;
        }

        _quickFindOpening = true;
        try
        {
            var (workspace, _) = WorkspaceRoutes.Parse(Navigation.ToBaseRelativePath(Navigation.Uri));
            var parameters = new DialogParameters<QuickFindDialog> { { d => d.Workspace, workspace } };
            _quickFind = await Dialogs.ShowAsync<QuickFindDialog>(null, parameters, new DialogOptions
            {
                MaxWidth = MaxWidth.Small, FullWidth = true, Position = DialogPosition.TopCenter, CloseOnEscapeKey = true, DefaultFocus = DefaultFocus.None,
            });
        }
        finally
        {
            _quickFindOpening = false;
        }
    }

    private async Task ToggleDrawerAsync()
    {
        // The initial drawer is open on a wide screen and hidden on a narrow one; a narrow open drawer needs a scrim.
        _narrow = await JS.InvokeAsync<bool>("studio.isNarrow");
        _drawer = DrawerShown ? DrawerState.Closed : DrawerState.Open;
    }

    private void CloseDrawer() => _drawer = DrawerState.Closed;

    private async Task ToggleDarkModeAsync()
    {
        Preferences.SetDarkMode(!Preferences.IsDarkMode);
        await JS.InvokeVoidAsync("studio.setCookie", UserPreferences.ThemeCookie, Preferences.IsDarkMode ? "dark" : "light", 365);
    }

    private void OnPreferencesChanged() => _ = InvokeAsync(StateHasChanged);

    /// <summary>Navigating away from a failed page recovers the error boundary; on a narrow screen it also closes the drawer.</summary>
    private void OnLocationChanged(object? sender, LocationChangedEventArgs e) => _ = InvokeAsync(() =>
    {
        _errorBoundary?.Recover();
        if (_narrow && _drawer == DrawerState.Open)
        {
            _drawer = DrawerState.Closed;
            StateHasChanged();
        }
    });

    public void Dispose()
    {
        Preferences.Changed -= OnPreferencesChanged;
        Navigation.LocationChanged -= OnLocationChanged;
        _self?.Dispose();
    }
}
