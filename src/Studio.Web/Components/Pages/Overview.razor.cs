using Microsoft.AspNetCore.Components;
using Studio.Infrastructure.Clusters;
using Studio.Infrastructure.Workspaces;
using Studio.Infrastructure.Live;
using Studio.Web.Model;

namespace Studio.Web.Components.Pages;

public partial class Overview
{
    private IReadOnlyList<WorkspaceSummary>? _workspaces;
    private IReadOnlyList<ClusterSummary>? _clusters;
    private IReadOnlySet<Guid>? _visible;

    [Inject]
    public required WorkspaceCatalog Catalog { get; init; }

    [Inject]
    public required ClusterService Clusters { get; init; }

    [Inject]
    public required UserPreferences Preferences { get; init; }

    [Inject]
    public required LiveAccess Access { get; init; }

    protected override async Task OnInitializedAsync()
    {
        Preferences.Changed += OnChanged;
        var actor = await GetActorAsync();
        _workspaces = await Catalog.ListAsync(actor);
        _clusters = await Clusters.ListAsync(actor, CircuitToken);

        // Live figures only for clusters the person may watch (administrators: all), as on the monitoring page.
        _visible = (await Access.VisibilityAsync(actor, CircuitToken)).Clusters;
        // The clusters' shared live views (nodes, running pods, GPUs), one render per change batch.
        await FollowClusterViewsAsync(_clusters.Select(c => c.Id).Where(id => _visible is null || _visible.Contains(id)));
    }

    private void OnChanged() => _ = InvokeAsync(StateHasChanged);

    protected override ValueTask DisposeAsyncCore()
    {
        Preferences.Changed -= OnChanged;
        return ValueTask.CompletedTask;
    }
}
