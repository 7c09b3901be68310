using Microsoft.AspNetCore.Components;
using Studio.Infrastructure.Clusters;
using Studio.Infrastructure.Workspaces;
using Studio.Web.Model;

namespace Studio.Web.Components.Pages;

public partial class Overview : IDisposable
{
    private IReadOnlyList<WorkspaceSummary>? _workspaces;
    private IReadOnlyList<ClusterSummary>? _clusters;

    [Inject]
    public required WorkspaceCatalog Catalog { get; init; }

    [Inject]
    public required ClusterService Clusters { get; init; }

    [Inject]
    public required UserPreferences Preferences { get; init; }

    protected override async Task OnInitializedAsync()
    {
        Preferences.Changed += OnChanged;
        _workspaces = await Catalog.ListAsync(await GetActorAsync());
        _clusters = await Clusters.ListAsync(CancellationToken.None);
    }

    private void OnChanged() => _ = InvokeAsync(StateHasChanged);

    public void Dispose() => Preferences.Changed -= OnChanged;
}
