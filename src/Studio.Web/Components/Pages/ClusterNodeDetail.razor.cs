using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;
using MudBlazor;
using Studio.Infrastructure.Clusters;
using Studio.Infrastructure.Kubernetes.Inventory;

namespace Studio.Web.Components.Pages;

/// <summary>
/// One node of a cluster, as Lens and Headlamp show it: facts, requested of allocatable, the pods bound to it,
/// conditions, labels and taints, its GPUs and who holds them, and its events (read on demand). Read-only, from the shared
/// inventory; it re-renders with each batch of the cluster's live view.
/// </summary>
public partial class ClusterNodeDetail
{
    private static readonly string[] Tabs = ["pods", "conditions", "labels", "gpus", "events"];

    private ClusterSummary? _cluster;
    private ClusterInventory? _inventory;
    private NodeDetail? _detail;
    private string? _notFound;
    private string _notFoundTitle = "Cluster not found";
    private string? _problem;
    private string? _shownNode;
    private IReadOnlyList<EventInfo>? _events;
    private string? _eventsProblem;
    private IReadOnlySet<string>? _hiddenNamespaces;

    [Parameter]
    public string Name { get; set; } = string.Empty;

    [Parameter]
    public string Node { get; set; } = string.Empty;

    [Inject]
    public required ClusterService ClusterService { get; init; }

    [Inject]
    public required InventoryRegistry Inventories { get; init; }

    [Inject]
    public required ClusterVisibility Visibility { get; init; }

    [Inject]
    public required IJSRuntime JS { get; init; }

    private string? Subtitle => _detail is null
        ? null
        : string.Join(" · ", new[] { _cluster?.Title ?? Name, _detail.Node.Pool, _detail.Node.InstanceType, _detail.Node.KubeletVersion }.Where(s => !string.IsNullOrEmpty(s)));

    protected override async Task OnParametersSetAsync()
    {
        if (_cluster?.Name != Name)
        {
            _cluster = null;
            _inventory = null;
            var cluster = await ClusterService.GetAsync(await GetActorAsync(), Name, CircuitToken);
            if (!cluster.IsSuccess)
            {
                _notFoundTitle = "Cluster not found";
                _notFound = cluster.Errors[0].Message;
                return;
            }

            _cluster = cluster.Value;
            _hiddenNamespaces = await Visibility.HiddenNamespacesAsync(await GetActorAsync(), _cluster.Id, CircuitToken);
            await FollowClusterViewsAsync([_cluster.Id], RefreshAsync);
            _inventory = LiveProblems.ContainsKey(_cluster.Id) ? null : Inventories.Peek(_cluster.Id);
        }

        if (_shownNode != Node)
        {
            _shownNode = Node;
            _detail = null;
            Read();
            _ = LoadEventsAsync();
        }
    }

    private Task RefreshAsync()
    {
        Read();
        return Task.CompletedTask;
    }

    /// <summary>Reads the node from the inventory; a node that was shown and is gone now says so, keeping nothing stale.</summary>
    private void Read()
    {
        if (_inventory is null)
        {
            _notFoundTitle = "Cluster not reachable";
            _notFound = LiveProblems.GetValueOrDefault(_cluster!.Id) ?? "The cluster is not connected.";
            return;
        }

        var health = _inventory.Nodes.Health;
        _problem = health.State == InformerState.Degraded ? health.Problem ?? "The cluster stopped answering." : null;
        var detail = NodeDetail.Read(_inventory, Node, _hiddenNamespaces);
        if (detail is not null)
        {
            _detail = detail;
            _notFound = null;
            return;
        }

        if (!_inventory.Nodes.FirstSync.IsCompleted)
        {
            return;
        }

        _notFoundTitle = _detail is null ? "Node not found" : "Node gone";
        _notFound = _detail is null
            ? $"Cluster '{_cluster!.Title}' has no node '{Node}': it was removed, or never joined."
            : $"Node '{Node}' left cluster '{_cluster!.Title}' at {Clock.GetLocalNow():HH:mm:ss}.";
        _detail = null;
    }

    private async Task LoadEventsAsync()
    {
        if (_inventory is null)
        {
            return;
        }

        _events = null;
        var events = await _inventory.EventsAboutAsync("Node", Node, null, 100, CircuitToken);
        _events = events.IsSuccess ? events.Value : [];
        _eventsProblem = events.IsSuccess ? null : events.Errors[0].Message;
        await InvokeAsync(StateHasChanged);
    }

    private async Task CopyAsync(string text)
    {
        var copied = await JS.InvokeAsync<bool>("studio.copyText", text);
        Snackbar.Add(copied ? $"Copied {text}" : $"Copy it by hand: {text}", copied ? Severity.Success : Severity.Info);
    }

    /// <summary>One entry per GPU: the pod that holds it, or null when free.</summary>
    private List<string?> Slots()
    {
        var slots = new List<string?>();
        foreach (var holder in _detail!.GpuHolders)
        {
            for (var i = 0; i < holder.Gpus && slots.Count < _detail.Node.Allocatable.Gpus; i++)
            {
                slots.Add($"{holder.Namespace}/{holder.Name}");
            }
        }

        while (slots.Count < _detail.Node.Allocatable.Gpus)
        {
            slots.Add(null);
        }

        return slots;
    }

    internal static string Owner(PodInfo pod) => pod.OwnerKind is null ? "—" : $"{pod.OwnerKind}/{pod.OwnerName}";

    internal static Color PhaseColor(string phase) => phase switch
    {
        "Failed" or "Unknown" => Color.Error,
        "Pending" => Color.Warning,
        "Succeeded" => Color.Success,
        _ => Color.Default,
    };

    /// <summary>Ready should be True; the pressure and unavailable conditions should be False.</summary>
    private static bool ConditionHealthy(NodeConditionInfo condition) =>
        condition.Type == "Ready" ? condition.Status == "True" : condition.Status == "False";
}
