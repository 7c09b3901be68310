using Microsoft.AspNetCore.Components;
using MudBlazor;
using Studio.Infrastructure.Clusters;
using Studio.Infrastructure.Kubernetes;
using Studio.Infrastructure.Kubernetes.Inventory;
using Studio.Infrastructure.Live;
using Studio.Web.Components.Dialogs;

namespace Studio.Web.Components.Pages;

public partial class ClusterDetail
{
    /// <summary>Other workspaces' namespaces on this cluster: their pods are not listed to this person.</summary>
    private IReadOnlySet<string>? _hiddenNamespaces;
    private static readonly string[] Tabs = ["pools", "nodes", "pods", "namespaces", "warnings"];

    /// <summary>A live batch reloads the pods page at most this often (each reload filters every pod of the cluster).</summary>
    private static readonly TimeSpan PodReloadInterval = TimeSpan.FromSeconds(1);

    /// <summary>How the cluster was registered, in words.</summary>
    internal static string KindText(Studio.Domain.Clusters.ClusterKind kind) => kind switch
    {
        Studio.Domain.Clusters.ClusterKind.InCluster => "In-cluster (the studio's own service account)",
        Studio.Domain.Clusters.ClusterKind.Kubeconfig => "Kubeconfig",
        Studio.Domain.Clusters.ClusterKind.Aks => "AKS",
        Studio.Domain.Clusters.ClusterKind.Arc => "Azure Arc",
        _ => kind.ToString(),
    };

    private ClusterSummary? _cluster;
    private ClusterSnapshot? _live;
    private LiveClusterView? _view;
    private ClusterInventory? _inventory;
    private MudDataGrid<NodeRow>? _grid;
    private MudDataGrid<PodInfo>? _podGrid;
    private string? _podSearch;
    private DateTimeOffset _podsLoadedAt;
    private IReadOnlyList<string> _namespaces = [];
    private IReadOnlyList<EventInfo>? _warnings;
    private string? _warningsProblem;
    private ConnectionReport? _report;
    private string? _notFound;
    private string? _search;
    private bool _checking;

    [Parameter]
    public string Name { get; set; } = string.Empty;

    /// <summary>The pool filter of the nodes grid, in the URL.</summary>
    [SupplyParameterFromQuery(Name = "pool")]
    public string? PoolFilter { get; set; }

    /// <summary>The pods tab's namespace filter, in the URL.</summary>
    [SupplyParameterFromQuery(Name = "namespace")]
    public string? NamespaceFilter { get; set; }

    /// <summary>The pods tab's phase filter, in the URL.</summary>
    [SupplyParameterFromQuery(Name = "phase")]
    public string? PhaseFilter { get; set; }

    /// <summary>The pods tab's node filter, in the URL (the node page links here).</summary>
    [SupplyParameterFromQuery(Name = "node")]
    public string? NodeFilter { get; set; }

    [Inject]
    public required ClusterVisibility Visibility { get; init; }

    [Inject]
    public required ClusterService ClusterService { get; init; }

    [Inject]
    public required InventoryRegistry Inventories { get; init; }

    /// <summary>The live state, once loaded (the detail shell shows the body only then).</summary>
    private ClusterSnapshot Live => _live ?? throw new InvalidOperationException("The cluster is not loaded yet.");

    private string? _pool => PoolFilter;

    protected override async Task OnParametersSetAsync()
    {
        if (_cluster?.Name == Name)
        {
            if (_grid is not null)
            {
                await _grid.ReloadServerData();
            }

            if (_podGrid is not null)
            {
                await _podGrid.ReloadServerData();
            }

            return;
        }

        var cluster = await ClusterService.GetAsync(await GetActorAsync(), Name, CircuitToken);
        if (!cluster.IsSuccess)
        {
            _notFound = cluster.Errors[0].Message;
            return;
        }

        _cluster = cluster.Value;
        _hiddenNamespaces = await Visibility.HiddenNamespacesAsync(await GetActorAsync(), _cluster.Id, CircuitToken);
        await FollowClusterViewsAsync([_cluster.Id], RefreshAsync);

        // The nodes grid pages through the inventory the followed view holds.
        _inventory = LiveProblems.ContainsKey(_cluster.Id) ? null : Inventories.Peek(_cluster.Id);
        Snapshot();
        _ = LoadWarningsAsync();
    }

    private void Snapshot()
    {
        if (_inventory is null)
        {
            _live = ClusterSnapshot.Unreachable(LiveProblems.GetValueOrDefault(_cluster!.Id) ?? "Not connected.", Clock.GetUtcNow());
            return;
        }

        // The shared view: computed once per change batch for every circuit showing this cluster.
        _view = ClusterView(_cluster!.Id);
        _live = _view?.Snapshot ?? ClusterSnapshot.From(_inventory);
        _namespaces = _view?.Namespaces ?? [];
    }

    private async Task RefreshAsync()
    {
        Snapshot();
        if (_grid is not null)
        {
            await _grid.ReloadServerData();
        }

        if (_podGrid is not null && Clock.GetUtcNow() - _podsLoadedAt >= PodReloadInterval)
        {
            await _podGrid.ReloadServerData();
        }
    }

    private Task<GridData<PodInfo>> LoadPodsAsync(GridState<PodInfo> state, CancellationToken cancellationToken)
    {
        _podsLoadedAt = Clock.GetUtcNow();
        if (_inventory is null)
        {
            return Task.FromResult(new GridData<PodInfo> { Items = [], TotalItems = 0 });
        }

        var sort = state.SortDefinitions.FirstOrDefault();
        var sortBy = sort?.SortBy switch
        {
            nameof(PodInfo.Namespace) => "namespace",
            nameof(PodInfo.Name) => "name",
            nameof(PodInfo.OwnerName) => "owner",
            nameof(PodInfo.Phase) => "phase",
            nameof(PodInfo.NodeName) => "node",
            nameof(PodInfo.Restarts) => "restarts",
            nameof(PodInfo.CreatedAt) => "age",
            _ => null,
        };
        var page = new PodQuery(NamespaceFilter, PhaseFilter, NodeFilter, _podSearch, sortBy, sort?.Descending ?? false, state.Page * state.PageSize, state.PageSize)
        {
            HiddenNamespaces = _hiddenNamespaces,
        }.Run(_inventory);
        return Task.FromResult(new GridData<PodInfo> { Items = page.Items, TotalItems = page.Total });
    }

    private async Task PodSearchChanged(string? value)
    {
        _podSearch = value;
        if (_podGrid is not null)
        {
            await _podGrid.ReloadServerData();
        }
    }

    private void FilterPods(string filter, string? value) =>
        Navigation.NavigateTo(Navigation.GetUriWithQueryParameters(new Dictionary<string, object?> { [filter] = value, ["tab"] = "pods" }), replace: true);

    private Task<GridData<NodeRow>> LoadNodesAsync(GridState<NodeRow> state, CancellationToken cancellationToken)
    {
        if (_inventory is null)
        {
            return Task.FromResult(new GridData<NodeRow> { Items = [], TotalItems = 0 });
        }

        var sort = state.SortDefinitions.FirstOrDefault();
        var sortBy = sort?.SortBy switch
        {
            "Status" => "status",
            "Pool" => "pool",
            "Pods" => "pods",
            _ => sort?.SortBy,
        };
        var page = new NodeQuery(_search, _pool, sortBy, sort?.Descending ?? false, state.Page * state.PageSize, state.PageSize).Run(_inventory);
        return Task.FromResult(new GridData<NodeRow> { Items = page.Items, TotalItems = page.Total });
    }

    private async Task SearchChanged(string? value)
    {
        _search = value;
        if (_grid is not null)
        {
            await _grid.ReloadServerData();
        }
    }

    private void FilterPool(string? pool) =>
        Navigation.NavigateTo(Navigation.GetUriWithQueryParameters(new Dictionary<string, object?> { ["pool"] = pool, ["tab"] = "nodes" }), replace: true);

    private async Task LoadWarningsAsync()
    {
        if (_inventory is null)
        {
            return;
        }

        var warnings = await _inventory.RecentWarningsAsync(50, CircuitToken);
        _warnings = warnings.IsSuccess ? warnings.Value : [];
        _warningsProblem = warnings.IsSuccess ? null : warnings.Errors[0].Message;

        await InvokeAsync(StateHasChanged);
    }

    private async Task CheckAsync()
    {
        _checking = true;
        try
        {
            var result = await ClusterService.CheckAsync(Name, CircuitToken);
            _report = result.IsSuccess ? result.Value : null;
            if (!result.IsSuccess)
            {
                Snackbar.Add(result.Errors[0].Message, Severity.Error);
            }
        }
        finally
        {
            _checking = false;
        }
    }

    private async Task EditAsync()
    {
        var parameters = new DialogParameters<EditClusterDialog> { { d => d.Cluster, _cluster! } };
        var dialog = await Dialogs.ShowAsync<EditClusterDialog>("Edit cluster", parameters);
        if (await dialog.Result is { Canceled: false, Data: ClusterSummary updated })
        {
            _cluster = updated;
        }
    }

    private async Task RotateAsync()
    {
        var parameters = new DialogParameters<RotateCredentialsDialog> { { d => d.ClusterName, Name } };
        var dialog = await Dialogs.ShowAsync<RotateCredentialsDialog>("Rotate credentials", parameters, new DialogOptions { MaxWidth = MaxWidth.Medium, FullWidth = true });
        if (await dialog.Result is { Canceled: false })
        {
            Navigation.NavigateTo($"/clusters/{Name}", forceLoad: true);
        }
    }

    private async Task RemoveAsync()
    {
        var parameters = new DialogParameters<ConfirmDialog>
        {
            { d => d.Title, $"Remove cluster '{Name}'?" },
            { d => d.Message, "The studio forgets the cluster and its credentials. Nothing on the cluster is changed." },
            { d => d.ConfirmText, "Remove" },
        };
        var dialog = await Dialogs.ShowAsync<ConfirmDialog>("Remove cluster", parameters);
        if (await dialog.Result is not { Canceled: false })
        {
            return;
        }

        var result = await ClusterService.RemoveAsync(await GetActorAsync(), Name, CircuitToken);
        if (result.IsSuccess)
        {
            Snackbar.Add($"Cluster '{Name}' removed.", Severity.Success);
            Navigation.NavigateTo("/clusters");
        }
        else
        {
            Snackbar.Add(result.Errors[0].Message, Severity.Error);
        }
    }
}
