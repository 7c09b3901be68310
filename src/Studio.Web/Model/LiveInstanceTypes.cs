using Studio.Domain.InstanceTypes;
using Studio.Infrastructure.InstanceTypes;
using Studio.Infrastructure.Kubernetes.Inventory;

namespace Studio.Web.Model;

/// <summary>
/// A component's view of one cluster's instance types, kept live: loads the catalog view once, then the component
/// follows the cluster's shared live view and calls <see cref="Refresh"/> after each batch, which recomputes it from the
/// inventory that subscription holds (no API call).
/// </summary>
public sealed class LiveInstanceTypes(InventoryRegistry inventories, InstanceTypeCatalog catalog)
{
    private Guid _clusterId;
    private FitContext _context = FitContext.None;
    private IReadOnlyDictionary<string, string> _selector = new Dictionary<string, string>();

    /// <summary>The latest view, or null while loading or when <see cref="Problem"/> is set.</summary>
    public InstanceTypeCatalogView? View { get; private set; }

    /// <summary>Why the catalog cannot be shown (cluster not registered, unreachable...).</summary>
    public string? Problem { get; private set; }

    public Guid ClusterId => _clusterId;

    /// <summary>Loads <paramref name="clusterId"/>'s catalog (follow the cluster's live view next, and <see cref="Refresh"/> on each batch).</summary>
    public async Task StartAsync(Guid clusterId, FitContext? context = null)
    {
        _clusterId = clusterId;
        _context = context ?? FitContext.None;
        var view = await catalog.ViewAsync(clusterId, _context, CancellationToken.None);
        if (!view.IsSuccess)
        {
            Problem = view.Errors[0].Message;
            View = null;
            return;
        }

        Problem = null;
        View = view.Value;
        _selector = view.Value.ExtensionNodeSelector;
    }

    /// <summary>Recomputes the view from the inventory now (the extension selector is re-read at most every 15 s).</summary>
    public void Refresh()
    {
        if (View is null || inventories.Peek(_clusterId) is not { } inventory)
        {
            return;
        }

        _ = RefreshSelectorAsync();
        View = InstanceTypeCatalog.View(inventory, View.ClusterName, _context, _selector);
    }

    private async Task RefreshSelectorAsync()
    {
        try
        {
            _selector = await catalog.ExtensionSelectorAsync(_clusterId, CancellationToken.None);
        }
        catch (ObjectDisposedException)
        {
            // The host is shutting down.
        }
    }
}
