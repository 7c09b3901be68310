using Microsoft.AspNetCore.Components;
using MudBlazor;
using Studio.Infrastructure.Clusters;
using Studio.Infrastructure.Kubernetes.Inventory;
using Studio.Web.Components.Dialogs;
using Studio.Web.Model;

namespace Studio.Web.Components.Pages;

public partial class Clusters
{
    private IReadOnlyList<ClusterSummary> _clusters = [];
    private List<ClusterRow>? _rows;
    private LiveState _liveState = LiveState.Connecting;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> _extensions = new(StringComparer.Ordinal);

    [Inject]
    public required ClusterService ClusterService { get; init; }

    [Inject]
    public required Studio.Infrastructure.Compute.ExtensionService Extensions { get; init; }

    private DateTimeOffset Now => Clock.GetUtcNow();

    protected override async Task OnInitializedAsync()
    {
        _clusters = await ClusterService.ListAsync(await GetActorAsync(), CircuitToken);
        await FollowClusterViewsAsync(_clusters.Select(c => c.Id), () => { Refresh(); return Task.CompletedTask; });
        Refresh();
        foreach (var cluster in _clusters)
        {
            _ = LoadExtensionAsync(cluster.Name);
        }
    }

    /// <summary>The extension's state per cluster (installed and healthy?), checked in the background.</summary>
    private async Task LoadExtensionAsync(string cluster)
    {
        var status = await Extensions.StatusAsync(cluster, CircuitToken);
        _extensions[cluster] = !status.IsSuccess ? "Unknown" : status.Value.Healthy ? "Healthy" : status.Value.Installed ? "Unhealthy" : "Not installed";
        await InvokeAsync(StateHasChanged);
    }

    private void Refresh()
    {
        _rows = [.. _clusters.Select(c => new ClusterRow(c, Snapshot(c)))];
        _liveState = _rows.Any(r => r.Live.State is ClusterConnectionState.Degraded or ClusterConnectionState.Unreachable) ? LiveState.Stale : LiveState.Live;
    }

    // The shared per-cluster view (computed once per change batch for every circuit).
    private ClusterSnapshot Snapshot(ClusterSummary cluster) =>
        ClusterView(cluster.Id) is { } view
            ? view.Snapshot
            : ClusterSnapshot.Unreachable(LiveProblems.GetValueOrDefault(cluster.Id) ?? "Not connected.", Now);

    private async Task AddAsync()
    {
        var dialog = await Dialogs.ShowAsync<AddClusterDialog>("Add cluster", new DialogOptions { MaxWidth = MaxWidth.Medium, FullWidth = true });
        var result = await dialog.Result;
        if (result is { Canceled: false, Data: string name })
        {
            Navigation.NavigateTo($"/clusters/{name}");
        }
    }
}
