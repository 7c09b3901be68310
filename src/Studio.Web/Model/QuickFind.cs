using Studio.Domain.Workspaces;
using Studio.Infrastructure.Assets;
using Studio.Infrastructure.Clusters;
using Studio.Infrastructure.Compute;
using Studio.Infrastructure.InstanceTypes;
using Studio.Infrastructure.Jobs;
using Studio.Infrastructure.Kubernetes.Inventory;
using Studio.Infrastructure.Workspaces;

namespace Studio.Web.Model;

/// <summary>One thing the quick finder (Ctrl+K, <c>GET /api/search</c>) found: what it is, its name, a line about it and where it lives.</summary>
public sealed record QuickFindHit(string Kind, string Name, string? Detail, string Href);

/// <summary>
/// Finds, by name, anything a person may open — pages, workspaces, clusters, nodes, compute targets, instance types, jobs,
/// data assets and models — through the same services (and so the same visibility rules) as the pages that show them:
/// another workspace's objects, and clusters no workspace of theirs uses, are never found. Nodes and instance types come
/// from the clusters whose inventory is already being watched (a search never starts watching a cluster).
/// </summary>
public sealed class QuickFind(
    WorkspaceService workspaces,
    ClusterService clusters,
    ComputeService compute,
    InstanceTypeCatalog instanceTypes,
    InventoryRegistry inventories,
    JobQueryService jobs,
    DataAssetService dataAssets,
    ModelService models)
{
    /// <summary>The longest text searched for; longer text is refused by the API and cut by the palette.</summary>
    public const int MaxTextLength = 200;

    /// <summary>Hits of one kind at most, and in all.</summary>
    public const int PerKind = 6;

    public const int MaxHits = 30;

    /// <summary>Workspaces whose jobs, compute targets and assets are searched (the person's, by name; the current one first).</summary>
    public const int MaxWorkspaces = 12;

    private static readonly (string Name, string Href, bool AdministratorsOnly)[] Pages =
    [
        ("Overview", "/", false),
        ("Clusters", "/clusters", false),
        ("Instance types", "/instance-types", false),
        ("Monitoring", "/monitoring", false),
        ("Wall display", "/monitor/wall", false),
        ("Workspaces", "/workspaces", false),
        ("Administration", "/administration", true),
    ];

    private static readonly (string Name, string Section)[] WorkspacePages =
    [
        ("Jobs", "jobs"), ("Submit a job", "jobs/new"), ("Compute", "compute"), ("Data", "data"), ("Models", "models"),
        ("Environments", "environments"), ("Endpoints", "endpoints"),
    ];

    /// <summary>
    /// What <paramref name="actor"/> may open whose name contains <paramref name="text"/> (case-insensitive), best first:
    /// exact names, then names starting with the text, then the rest; <paramref name="workspace"/> (the page's) is searched first.
    /// </summary>
    public async Task<IReadOnlyList<QuickFindHit>> SearchAsync(Actor actor, string? text, string? workspace, CancellationToken cancellationToken)
    {
        var term = (text ?? string.Empty).Trim();
        if (term.Length == 0)
        {
            return [];
        }

        if (term.Length > MaxTextLength)
        {
            term = term[..MaxTextLength];
        }

        var found = new List<(int Rank, int Order, QuickFindHit Hit)>();
        var order = 0;
        void Add(string kind, string name, string? detail, string href, int kindOrder, string? alias = null)
        {
            // A job found by its display name ranks after every name match.
            if ((Rank(name, term) ?? (alias is not null && Rank(alias, term) is not null ? 3 : null)) is { } rank && found.Count(f => f.Hit.Kind == kind) < PerKind)
            {
                found.Add((rank, kindOrder * 1_000_000 + order++, new QuickFindHit(kind, name, detail, href)));
            }
        }

        var mine = (await workspaces.ListAsync(actor, cancellationToken))
            .OrderBy(w => string.Equals(w.Name, workspace, StringComparison.OrdinalIgnoreCase) ? 0 : 1)
            .ThenBy(w => w.Name, StringComparer.Ordinal)
            .Take(MaxWorkspaces)
            .ToList();

        foreach (var page in Pages.Where(p => !p.AdministratorsOnly || actor.IsAdministrator))
        {
            Add("Page", page.Name, null, page.Href, 0);
        }

        if (mine.FirstOrDefault() is { } current)
        {
            foreach (var (name, section) in WorkspacePages)
            {
                Add("Page", name, $"in {current.Name}", WorkspaceRoutes.Section(current.Name, section), 0);
            }
        }

        foreach (var w in mine)
        {
            Add("Workspace", w.Name, w.Description, WorkspaceRoutes.Root(w.Name), 1);
        }

        var visibleClusters = await clusters.ListAsync(actor, cancellationToken);
        foreach (var c in visibleClusters.OrderBy(c => c.Name, StringComparer.Ordinal))
        {
            Add("Cluster", c.Name, c.DisplayName, $"/clusters/{Uri.EscapeDataString(c.Name)}", 2, c.DisplayName);
        }

        foreach (var w in mine)
        {
            await AddWorkspaceObjectsAsync(actor, w.Name, term, Add, cancellationToken);
        }

        foreach (var c in visibleClusters.OrderBy(c => c.Name, StringComparer.Ordinal))
        {
            if (inventories.Peek(c.Id) is not { } inventory)
            {
                continue;
            }

            foreach (var node in inventory.Nodes.Snapshot().Where(n => n.Name.Contains(term, StringComparison.OrdinalIgnoreCase)).OrderBy(n => n.Name.Length).Take(PerKind))
            {
                Add("Node", node.Name, $"{node.Status} · {node.Pool} · {c.Name}", $"/clusters/{Uri.EscapeDataString(c.Name)}/nodes/{Uri.EscapeDataString(node.Name)}", 6);
            }

            var types = await instanceTypes.ListAsync(c.Id, cancellationToken);
            if (types.IsSuccess)
            {
                foreach (var type in types.Value)
                {
                    Add("Instance type", type.Name, $"on {c.Name}", $"/instance-types?cluster={Uri.EscapeDataString(c.Name)}&q={Uri.EscapeDataString(type.Name)}", 7);
                }
            }
        }

        return [.. found.OrderBy(f => f.Rank).ThenBy(f => f.Order).Take(MaxHits).Select(f => f.Hit)];
    }

    private async Task AddWorkspaceObjectsAsync(Actor actor, string workspace, string term, Action<string, string, string?, string, int, string?> add, CancellationToken cancellationToken)
    {
        var page = await jobs.ListAsync(actor, workspace, new JobQuery(Text: term, PageSize: PerKind), cancellationToken);
        if (page.IsSuccess)
        {
            foreach (var job in page.Value.Items)
            {
                var detail = $"{job.State} · {workspace}" + (job.DisplayName is { Length: > 0 } display && display != job.Name ? $" · {display}" : string.Empty);
                add("Job", job.Name, detail, WorkspaceRoutes.Job(workspace, job.Name), 3, job.DisplayName);
            }
        }

        var targets = await compute.ListAsync(actor, workspace, cancellationToken);
        if (targets.IsSuccess)
        {
            foreach (var target in targets.Value)
            {
                add("Compute target", target.Name, $"{target.Cluster}/{target.Namespace} · {workspace}", WorkspaceRoutes.ComputeTarget(workspace, target.Name), 4, null);
            }
        }

        foreach (var (catalog, kind, route) in new (IAssetCatalog, string, Func<string, string, string>)[]
                 { (dataAssets, "Data asset", WorkspaceRoutes.DataAsset), (models, "Model", WorkspaceRoutes.Model) })
        {
            var assets = await catalog.ListAsync(actor, workspace, false, cancellationToken);
            if (assets.IsSuccess)
            {
                foreach (var asset in assets.Value)
                {
                    add(kind, asset.Name, $"{asset.Type} · v{asset.LatestVersion} · {workspace}", route(workspace, asset.Name), 5, null);
                }
            }
        }
    }

    /// <summary>0: the name is the text; 1: it starts with it; 2: it contains it; null: no match.</summary>
    internal static int? Rank(string name, string term) =>
        string.Equals(name, term, StringComparison.OrdinalIgnoreCase) ? 0
        : name.StartsWith(term, StringComparison.OrdinalIgnoreCase) ? 1
        : name.Contains(term, StringComparison.OrdinalIgnoreCase) ? 2
        : null;
}
