using Studio.Domain.InstanceTypes;
using Studio.Infrastructure.InstanceTypes;

namespace Studio.Web.Model;

/// <summary>
/// A component's live view of one cluster's instance types: loads the catalog view once, then recomputes it (no API
/// call) whenever the cluster's inventory changes — coalesced to one callback per ~100 ms by <see cref="LiveClusters"/>.
/// Dispose it with the component.
/// </summary>
public sealed class LiveInstanceTypes(LiveClusters live, InstanceTypeCatalog catalog) : IDisposable
{
    private Guid _clusterId;
    private FitContext _context = FitContext.None;
    private IReadOnlyDictionary<string, string> _selector = new Dictionary<string, string>();

    /// <summary>The latest view, or null while loading or when <see cref="Problem"/> is set.</summary>
    public InstanceTypeCatalogView? View { get; private set; }

    /// <summary>Why the catalog cannot be shown (cluster not registered, unreachable...).</summary>
    public string? Problem { get; private set; }

    public Guid ClusterId => _clusterId;

    /// <summary>Loads <paramref name="clusterId"/>'s catalog and calls <paramref name="onChange"/> after each live refresh.</summary>
    public async Task StartAsync(Guid clusterId, Func<Task> onChange, FitContext? context = null)
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
        await live.WatchAsync([clusterId], async () =>
        {
            Refresh();
            await onChange();
        }, CancellationToken.None);
    }

    /// <summary>Recomputes the view from the inventory now (the extension selector is re-read at most every 15 s).</summary>
    public void Refresh()
    {
        if (View is null || !live.Inventories.TryGetValue(_clusterId, out var inventory))
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

    public void Dispose() => live.Dispose();
}
