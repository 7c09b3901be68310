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

    [Inject]
    public required OverviewAttention Attention { get; init; }

    private IReadOnlyList<AttentionItem>? _jobAttention;

    /// <summary>Clusters that cannot be reached or are degraded, as "what needs me now" items.</summary>
    private IEnumerable<AttentionItem> ClusterAttention =>
        (_clusters ?? []).Select(c => (Cluster: c, Problem: LiveProblems.GetValueOrDefault(c.Id) ?? ClusterView(c.Id)?.Snapshot.Problem))
            .Where(c => c.Problem is not null)
            .Select(c => new AttentionItem($"Cluster {c.Cluster.Title}: {c.Problem}", $"/clusters/{Uri.EscapeDataString(c.Cluster.Name)}", MudBlazor.Severity.Warning, $"attention-cluster-{c.Cluster.Name}"));

    protected override async Task OnInitializedAsync()
    {
        Preferences.Changed += OnChanged;
        var actor = await GetActorAsync();
        _workspaces = await Catalog.ListAsync(actor);
        _clusters = await Clusters.ListAsync(actor, CircuitToken);
        _jobAttention = await Attention.JobsAsync(actor, _workspaces.Select(w => w.Name), CircuitToken);

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
