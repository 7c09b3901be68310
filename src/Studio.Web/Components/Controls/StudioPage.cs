using Microsoft.AspNetCore.Components;
using MudBlazor;
using Studio.Web.Model;

namespace Studio.Web.Components.Controls;

/// <summary>
/// Base for pages: the services nearly every page uses (navigation, dialogs, snackbar, clock), the live module's
/// following (<see cref="LiveComponent"/>), and, for pages under <c>/w/{workspace}/</c>, the <see cref="Workspace"/>
/// the workspace layout resolved from the address.
/// </summary>
public abstract class StudioPage : LiveComponent
{
    /// <summary>The workspace segment of the address (<c>/w/{WorkspaceName}/...</c>); pages read <see cref="Workspace"/>.</summary>
    [Parameter]
    public string? WorkspaceName { get; set; }

    /// <summary>The workspace this page is in, cascaded by the workspace layout (null on pages outside a workspace).</summary>
    [CascadingParameter]
    public WorkspaceContext? WorkspaceContext { get; set; }

    [Inject]
    public required NavigationManager Navigation { get; init; }

    [Inject]
    public required IDialogService Dialogs { get; init; }

    [Inject]
    public required ISnackbar Snackbar { get; init; }

    [Inject]
    public required TimeProvider Clock { get; init; }

    /// <summary>The workspace of a workspace page; only such pages (declared with the workspace layout) may read it.</summary>
    protected WorkspaceContext Workspace =>
        WorkspaceContext ?? throw new InvalidOperationException($"{GetType().Name} is not inside a workspace: it needs @layout WorkspaceLayout and a /w/{{WorkspaceName}}/ route.");
}
