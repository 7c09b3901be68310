using Microsoft.AspNetCore.Components;
using Studio.Infrastructure.Clusters;
using Studio.Infrastructure.Workspaces;
using Studio.Web.Live;
using Studio.Web.Model;

namespace Studio.Web.Components.Pages;

public partial class Overview : IDisposable
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

    /// <summary>The clusters' shared live views (nodes, running pods, GPUs), one render per change batch.</summary>
    [Inject]
    public required LiveClusters Live { get; init; }

    protected override async Task OnInitializedAsync()
    {
        Preferences.Changed += OnChanged;
        var actor = await GetActorAsync();
        _workspaces = await Catalog.ListAsync(actor);
        _clusters = await Clusters.ListAsync(CancellationToken.None);

        // Live figures only for clusters the person may watch (administrators: all), as on the monitoring page.
        (_visible, _) = await Access.VisibilityAsync(actor, CancellationToken.None);
        await Live.WatchViewsAsync(_clusters.Select(c => c.Id).Where(id => _visible is null || _visible.Contains(id)), () => InvokeAsync(StateHasChanged), CancellationToken.None);
    }

    private void OnChanged() => _ = InvokeAsync(StateHasChanged);

    public void Dispose()
    {
        Preferences.Changed -= OnChanged;
        Live.Dispose();
    }
}
