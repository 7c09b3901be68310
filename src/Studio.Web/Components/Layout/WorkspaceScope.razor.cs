using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;
using Studio.Web.Model;

namespace Studio.Web.Components.Layout;

/// <summary>
/// Resolves <see cref="Name"/> to a <see cref="WorkspaceContext"/> (workspace, the person's role, actor, circuit token)
/// and cascades it to <see cref="ChildContent"/>; renders a not-found page for an unknown or not-visible workspace.
/// The resolved workspace becomes the remembered one (cookie) for old links and the overview.
/// </summary>
public partial class WorkspaceScope
{
    private WorkspaceContext? _context;
    private string? _missing;
    private string? _resolving;
    private string? _rememberedInCookie;

    /// <summary>The workspace name from the address.</summary>
    [Parameter, EditorRequired]
    public string? Name { get; set; }

    [Parameter]
    public RenderFragment? ChildContent { get; set; }

    [Inject]
    public required WorkspaceCatalog Catalog { get; init; }

    [Inject]
    public required UserPreferences Preferences { get; init; }

    [Inject]
    public required IJSRuntime JS { get; init; }

    protected override void OnInitialized() => Catalog.Changed += OnCatalogChanged;

    protected override async Task OnParametersSetAsync()
    {
        if (_resolving != Name)
        {
            await ResolveAsync();
        }
    }

    private async Task ResolveAsync()
    {
        var name = Name ?? string.Empty;
        if (_resolving != name)
        {
            // Another workspace: show nothing of the last one while this one is looked up.
            _context = null;
            _missing = null;
        }

        _resolving = name;
        var actor = await GetActorAsync();
        var workspace = await Catalog.GetAsync(actor, name, CircuitToken);
        if (_resolving != name)
        {
            return; // the address moved on while this one was looked up
        }

        if (!workspace.IsSuccess)
        {
            _context = null;
            _missing = name;
            return;
        }

        _missing = null;
        _context = new WorkspaceContext(workspace.Value, actor, CircuitToken);
        if (Preferences.CurrentWorkspace != _context.Name)
        {
            Preferences.SetWorkspace(_context.Name);
        }
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (_context is { } context && _rememberedInCookie != context.Name)
        {
            _rememberedInCookie = context.Name;
            await JS.InvokeVoidAsync("studio.setCookie", CircuitToken, UserPreferences.WorkspaceCookie, context.Name, 365);
        }
    }

    /// <summary>This person renamed, deleted or joined a workspace elsewhere in the circuit: look the address up again.</summary>
    private void OnCatalogChanged() => _ = InvokeAsync(async () =>
    {
        await ResolveAsync();
        StateHasChanged();
    });

    public void Dispose() => Catalog.Changed -= OnCatalogChanged;
}
