using Microsoft.AspNetCore.Components;
using Studio.Web.Model;

namespace Studio.Web.Components.Pages;

/// <summary>Sends an old unscoped address (<c>/jobs/NAME?tab=logs</c>) to the same page under the current workspace.</summary>
public partial class WorkspaceRedirect
{
    private bool _noWorkspace;

    /// <summary>Whatever followed the section in the old address (a job name, <c>new</c>).</summary>
    [Parameter]
    public string? Rest { get; set; }

    [Inject]
    public required WorkspaceCatalog Catalog { get; init; }

    [Inject]
    public required UserPreferences Preferences { get; init; }

    protected override async Task OnParametersSetAsync()
    {
        var visible = await Catalog.ListAsync(await GetActorAsync(), CircuitToken);
        var workspace = visible.FirstOrDefault(w => string.Equals(w.Name, Preferences.CurrentWorkspace, StringComparison.OrdinalIgnoreCase)) ?? visible.FirstOrDefault();
        _noWorkspace = workspace is null;
        if (workspace is not null)
        {
            Navigation.NavigateTo(Target(workspace.Name, Navigation.ToBaseRelativePath(Navigation.Uri)), replace: true);
        }
    }

    /// <summary>The workspace address of a base-relative old one: <c>jobs/abc?tab=pods</c> → <c>/w/vision/jobs/abc?tab=pods</c>.</summary>
    public static string Target(string workspace, string relative) => $"{WorkspaceRoutes.Root(workspace)}/{relative.TrimStart('/')}";
}
