using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.EntityFrameworkCore;
using Studio.Domain.Common;
using Studio.Domain.InstanceTypes;
using Studio.Domain.Workspaces;
using Studio.Infrastructure.Compute;
using Studio.Infrastructure.Kubernetes;
using Studio.Infrastructure.Kubernetes.Inventory;
using Studio.Infrastructure.Persistence;

namespace Studio.Infrastructure.InstanceTypes;

/// <summary>
/// A cluster's instance types: read from the shared InstanceType informer (plus the implicit <c>defaultinstancetype</c>
/// unless a resource overrides it), written to the cluster with server-side apply (field manager <c>studio</c>), judged
/// by Azure ML's rules and, against the live nodes, by the fit calculator. Never stored in Studio's database.
/// </summary>
public sealed partial class InstanceTypeCatalog(
    InventoryRegistry inventories,
    KubernetesClientFactory clients,
    IDbContextFactory<StudioDbContext> contexts,
    TimeProvider clock) : IInstanceTypeCatalog
{
    private static readonly TimeSpan SelectorCacheTime = TimeSpan.FromSeconds(15);
    private readonly ConcurrentDictionary<Guid, (DateTimeOffset At, IReadOnlyDictionary<string, string> Selector)> _selectors = new();

    /// <summary>How long a read waits for the first list of a cluster's inventory.</summary>
    public TimeSpan SyncTimeout { get; set; } = TimeSpan.FromSeconds(15);

    public async Task<Result<IReadOnlyList<InstanceType>>> ListAsync(Guid clusterId, CancellationToken cancellationToken)
    {
        var view = await ViewAsync(clusterId, null, cancellationToken).ConfigureAwait(false);
        return view.IsSuccess ? Result<IReadOnlyList<InstanceType>>.Ok(view.Value.InstanceTypes) : Result<IReadOnlyList<InstanceType>>.Failure(view.Errors);
    }

    public async Task<Result<InstanceType>> GetAsync(Guid clusterId, string name, CancellationToken cancellationToken)
    {
        var view = await ViewAsync(clusterId, null, cancellationToken).ConfigureAwait(false);
        if (!view.IsSuccess)
        {
            return Result<InstanceType>.Failure(view.Errors);
        }

        var entry = view.Value.Entries.FirstOrDefault(e => e.Name == name);
        if (entry?.InstanceType is { } found)
        {
            return found;
        }

        return entry is null
            ? Error.NotFound($"Instance type '{name}' does not exist on cluster {view.Value.ClusterName}. It has: {string.Join(", ", view.Value.Entries.Select(e => e.Name))}.")
            : Error.Conflict("instancetype_invalid", $"Instance type '{name}' on cluster {view.Value.ClusterName} is invalid and cannot be used: {string.Join(" ", entry.Problems.Select(p => p.Message))}");
    }

    public async Task<Result<IReadOnlyList<InstanceTypeAvailability>>> AvailabilityAsync(Guid clusterId, CancellationToken cancellationToken)
    {
        var view = await ViewAsync(clusterId, null, cancellationToken).ConfigureAwait(false);
        return view.IsSuccess ? Result<IReadOnlyList<InstanceTypeAvailability>>.Ok(view.Value.Availability) : Result<IReadOnlyList<InstanceTypeAvailability>>.Failure(view.Errors);
    }

    /// <summary>The catalog, availability and node labels of a cluster now (waits for the first sync of a fresh inventory).</summary>
    public async Task<Result<InstanceTypeCatalogView>> ViewAsync(Guid clusterId, FitContext? context, CancellationToken cancellationToken)
    {
        var name = await ClusterNameAsync(clusterId, cancellationToken).ConfigureAwait(false);
        if (name is null)
        {
            return Error.NotFound($"Cluster {clusterId} is not registered.");
        }

        var lease = await inventories.AcquireAsync(clusterId, cancellationToken).ConfigureAwait(false);
        if (!lease.IsSuccess)
        {
            return Result<InstanceTypeCatalogView>.Failure(lease.Errors);
        }

        using (lease.Value)
        {
            var inventory = lease.Value.Inventory;
            var synced = await WaitForSyncAsync(inventory, cancellationToken).ConfigureAwait(false);
            if (synced is not null)
            {
                return Error.Conflict("cluster_unavailable", $"Cluster {name}: {synced}");
            }

            var selector = await ExtensionSelectorAsync(clusterId, cancellationToken).ConfigureAwait(false);
            return Result<InstanceTypeCatalogView>.Ok(View(inventory, name, context ?? FitContext.None, selector));
        }
    }

    /// <summary>
    /// The view from an inventory the caller already holds a lease on (pages re-render on its <c>Changed</c> without
    /// another API call); <paramref name="extensionSelector"/> comes from <see cref="ExtensionSelectorAsync"/>.
    /// </summary>
    public static InstanceTypeCatalogView View(ClusterInventory inventory, string clusterName, FitContext context, IReadOnlyDictionary<string, string> extensionSelector)
    {
        ArgumentNullException.ThrowIfNull(inventory);
        ArgumentNullException.ThrowIfNull(context);
        var entries = inventory.InstanceTypes.Snapshot().OrderBy(e => e.Name, StringComparer.Ordinal).ToList();
        if (!entries.Any(e => e.Name == InstanceType.DefaultName))
        {
            entries.Insert(0, InstanceTypeEntry.Implicit);
        }

        var nodes = InstanceTypeAvailabilities.Nodes(inventory);
        var fitContext = context with { ExtensionNodeSelector = extensionSelector };
        var availability = entries
            .Where(e => e.InstanceType is not null)
            .Select(e => InstanceTypeAvailability.From(FitCalculator.Evaluate(e.InstanceType!, nodes, fitContext)))
            .ToList();
        var labels = nodes
            .SelectMany(n => n.Labels)
            .GroupBy(l => l.Key, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<string>)[.. g.Select(l => l.Value).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)], StringComparer.Ordinal);
        return new InstanceTypeCatalogView(
            inventory.ClusterId,
            clusterName,
            inventory.InstanceTypesInstalled == true,
            entries,
            availability,
            labels,
            extensionSelector,
            nodes,
            inventory.Health.State == InformerState.Degraded || inventory.InstanceTypes.Health.State == InformerState.Degraded);
    }

    /// <summary>The extension-wide nodeSelector from the extension's settings ConfigMap (cached briefly; empty when not installed).</summary>
    public async Task<IReadOnlyDictionary<string, string>> ExtensionSelectorAsync(Guid clusterId, CancellationToken cancellationToken)
    {
        if (_selectors.TryGetValue(clusterId, out var cached) && clock.GetUtcNow() - cached.At < SelectorCacheTime)
        {
            return cached.Selector;
        }

        IReadOnlyDictionary<string, string> selector = new Dictionary<string, string>();
        var client = await clients.GetAsync(clusterId, cancellationToken).ConfigureAwait(false);
        if (client.IsSuccess)
        {
            try
            {
                var map = await client.Value.CoreV1.ReadNamespacedConfigMapAsync(ExtensionManifests.SettingsConfigMapName, ExtensionManifests.SystemNamespace, cancellationToken: cancellationToken).ConfigureAwait(false);
                selector = ExtensionSettings.FromData(map.Data)?.NodeSelector ?? selector;
            }
            catch (Exception e) when (e is HttpOperationException or HttpRequestException)
            {
                // Not installed, or not readable: no extension-wide selector to apply.
            }
        }

        _selectors[clusterId] = (clock.GetUtcNow(), selector);
        return selector;
    }

    /// <summary>Validates a draft by the rules and against the live nodes (fit, extension selector) without saving.</summary>
    public async Task<Result<InstanceTypeCheck>> ValidateAsync(Guid clusterId, InstanceTypeDraft draft, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(draft);
        var rules = InstanceTypeRules.Validate(draft);
        if (!rules.IsSuccess)
        {
            return new InstanceTypeCheck(rules.Errors, [], null);
        }

        var view = await ViewAsync(clusterId, null, cancellationToken).ConfigureAwait(false);
        if (!view.IsSuccess)
        {
            return Result<InstanceTypeCheck>.Failure(view.Errors);
        }

        return Check(rules.Value, view.Value);
    }

    /// <summary>The fit verdict of a valid instance type against a view (pure; the form calls it on every keystroke).</summary>
    public static InstanceTypeCheck Check(InstanceType instanceType, InstanceTypeCatalogView view, FitContext? context = null)
    {
        ArgumentNullException.ThrowIfNull(view);
        var fitContext = (context ?? FitContext.None) with { ExtensionNodeSelector = view.ExtensionNodeSelector };
        var report = FitCalculator.Evaluate(instanceType, view.FitNodes, fitContext);
        return new InstanceTypeCheck(report.Errors, report.Warnings, InstanceTypeAvailability.From(report));
    }

    /// <summary>
    /// Sets a compute target's default instance type and its restriction list (Azure ML's compute <c>instanceTypes</c>;
    /// empty allows all). Every name must exist (validly) on the target's cluster. Workspace administrators only.
    /// </summary>
    public async Task<Result<Compute.ComputeSummary>> SetComputeInstanceTypesAsync(Actor actor, string workspaceName, string computeName, string? defaultInstanceType, IReadOnlyCollection<string>? allowed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var workspace = await new Persistence.Repositories.WorkspaceRepository(db).FindByNameAsync(workspaceName, cancellationToken).ConfigureAwait(false);
        if (WorkspaceAccess.Check(actor, workspace, workspaceName, WorkspaceRole.Administrator, "Only administrators change a compute target's instance types.") is { } denied)
        {
            return denied;
        }

        var target = workspace!.FindComputeTarget(computeName);
        if (target is null)
        {
            return Error.NotFound($"Workspace '{workspace.Name}' has no compute target named '{computeName}'.");
        }

        var view = await ViewAsync(target.ClusterId, null, cancellationToken).ConfigureAwait(false);
        if (!view.IsSuccess)
        {
            return Result<Compute.ComputeSummary>.Failure(view.Errors);
        }

        var known = view.Value.Entries.Where(e => e.IsValid).Select(e => e.Name).ToHashSet(StringComparer.Ordinal);
        var errors = new List<Error>();
        var chosen = string.IsNullOrWhiteSpace(defaultInstanceType) ? InstanceType.DefaultName : defaultInstanceType.Trim();
        if (!known.Contains(chosen))
        {
            errors.Add(Error.Validation("defaultInstanceType", $"Instance type '{chosen}' does not exist (or is invalid) on cluster {view.Value.ClusterName}; it has: {string.Join(", ", known.Order(StringComparer.Ordinal))}."));
        }

        foreach (var name in (allowed ?? []).Select(a => a.Trim()).Where(a => a.Length > 0 && !known.Contains(a)).Distinct(StringComparer.Ordinal))
        {
            errors.Add(Error.Validation("allowedInstanceTypes", $"Instance type '{name}' does not exist (or is invalid) on cluster {view.Value.ClusterName}."));
        }

        if (errors.Count > 0)
        {
            return Result<Compute.ComputeSummary>.Failure(errors);
        }

        var set = target.SetInstanceTypes(chosen, allowed);
        if (!set.IsSuccess)
        {
            return Result<Compute.ComputeSummary>.Failure(set.Errors);
        }

        db.Audit(clock, actor, "compute.instancetypes", $"{workspace.Name}/{target.Name}", $"default {target.DefaultInstanceType}; allowed {(target.AllowedInstanceTypes.Count == 0 ? "all" : string.Join(", ", target.AllowedInstanceTypes))}");
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return Compute.ComputeSummary.From(workspace, target, view.Value.ClusterName);
    }

    private static bool Same(InstanceType a, InstanceType b) =>
        a.Requests == b.Requests && a.Limits == b.Limits
        && a.NodeSelector.Count == b.NodeSelector.Count && a.NodeSelector.All(p => b.NodeSelector.TryGetValue(p.Key, out var v) && v == p.Value)
        && (a.RequestCpu, a.RequestMemory, a.LimitCpu, a.LimitMemory) == (b.RequestCpu, b.RequestMemory, b.LimitCpu, b.LimitMemory);

    private static Error NotInstalled(string cluster) => Error.Conflict(
        "extension_not_installed",
        $"The Azure ML extension is not installed on cluster {cluster}: the InstanceType resource type ({ExtensionManifests.InstanceTypeCrdName}) does not exist. Install the extension from the cluster page first.");

    /// <summary>The API server's refusal as per-field errors (its Status causes), or one sentence.</summary>
    internal static IReadOnlyList<Error> ServerErrors(HttpOperationException e, string name)
    {
        if (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return [Error.Conflict("extension_not_installed", $"The cluster does not serve InstanceType resources ({ExtensionManifests.InstanceTypeCrdName}): install the extension first.")];
        }

        try
        {
            var status = KubernetesJson.Deserialize<V1Status>(e.Response.Content);
            var causes = status.Details?.Causes?.Where(c => !string.IsNullOrEmpty(c.Message)).ToList() ?? [];
            if (e.Response.StatusCode == HttpStatusCode.UnprocessableEntity && causes.Count > 0)
            {
                return [.. causes.Select(c => Error.Validation(string.IsNullOrEmpty(c.Field) ? "spec" : c.Field, $"The cluster refused {name}: {c.Message}"))];
            }

            if (!string.IsNullOrEmpty(status.Message))
            {
                return [e.Response.StatusCode == HttpStatusCode.UnprocessableEntity
                    ? Error.Validation("spec", $"The cluster refused {name}: {status.Message}")
                    : Error.Conflict("cluster_refused", $"The cluster refused {name} ({(int)e.Response.StatusCode}): {status.Message}")];
            }
        }
        catch (JsonException)
        {
            // Not a Status: fall through to the generic description.
        }

        return [Error.Conflict("cluster_refused", ClusterProblems.Describe(e))];
    }

    private static InstanceTypeResource Deserialize(object result) => result switch
    {
        JsonElement json => KubernetesJson.Deserialize<InstanceTypeResource>(json.GetRawText()),
        _ => KubernetesJson.Deserialize<InstanceTypeResource>(KubernetesJson.Serialize(result)),
    };

    private async Task AuditAsync(Actor actor, string action, string cluster, InstanceType instanceType, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        db.Audit(clock, actor, action, $"{cluster}/{instanceType.Name}", $"requests {instanceType.RequestCpu}/{instanceType.RequestMemory}, limits {instanceType.LimitCpu}/{instanceType.LimitMemory}/{instanceType.Limits.Gpus} GPU");
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task<string?> ClusterNameAsync(Guid clusterId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await db.Clusters.AsNoTracking().Where(c => c.Id == clusterId).Select(c => c.Name).FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task<string?> WaitForSyncAsync(ClusterInventory inventory, CancellationToken cancellationToken)
    {
        try
        {
            await Task.WhenAll(inventory.Nodes.FirstSync, inventory.Pods.FirstSync, inventory.InstanceTypes.FirstSync).WaitAsync(SyncTimeout, clock, cancellationToken).ConfigureAwait(false);
            return null;
        }
        catch (TimeoutException)
        {
            return inventory.Health.Problem ?? inventory.InstanceTypes.Health.Problem ?? "the cluster did not answer in time.";
        }
    }
}
