using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.EntityFrameworkCore;
using Studio.Domain.Common;
using Studio.Domain.InstanceTypes;
using Studio.Domain.Workspaces;
using Studio.Infrastructure.Kubernetes;
using Studio.Infrastructure.Persistence;

namespace Studio.Infrastructure.InstanceTypes;

/// <summary>Writes: create, update, delete, import and export — every change to the cluster goes through the server-side applier.</summary>
public sealed partial class InstanceTypeCatalog
{
    /// <summary>Creates an instance type on the cluster; refused when one with that name exists (except the implicit default).</summary>
    public Task<Result<InstanceTypeEntry>> CreateAsync(Actor actor, Guid clusterId, InstanceTypeDraft draft, CancellationToken cancellationToken) =>
        WriteAsync(actor, clusterId, null, draft, cancellationToken);

    /// <summary>Replaces an instance type's nodeSelector and resources (the name cannot change).</summary>
    public Task<Result<InstanceTypeEntry>> UpdateAsync(Actor actor, Guid clusterId, string name, InstanceTypeDraft draft, CancellationToken cancellationToken) =>
        WriteAsync(actor, clusterId, name, draft, cancellationToken);

    private async Task<Result<InstanceTypeEntry>> WriteAsync(Actor actor, Guid clusterId, string? existingName, InstanceTypeDraft draft, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(draft);
        if (!actor.IsAdministrator)
        {
            return Error.Forbidden("Only administrators can change instance types.");
        }

        if (existingName is not null && draft.Name is not null && draft.Name.Trim() != existingName)
        {
            return Error.Validation(InstanceTypeFields.Name, $"Instance types cannot be renamed. Duplicate '{existingName}' under the new name, then delete it.");
        }

        var rules = InstanceTypeRules.Validate(existingName is null ? draft : draft with { Name = existingName });
        if (!rules.IsSuccess)
        {
            return Result<InstanceTypeEntry>.Failure(rules.Errors);
        }

        var view = await ViewAsync(clusterId, null, cancellationToken).ConfigureAwait(false);
        if (!view.IsSuccess)
        {
            return Result<InstanceTypeEntry>.Failure(view.Errors);
        }

        if (!view.Value.ExtensionInstalled)
        {
            return NotInstalled(view.Value.ClusterName);
        }

        var existing = view.Value.Entries.FirstOrDefault(e => e.Name == rules.Value.Name && !e.IsImplicit);
        if (existingName is null && existing is not null)
        {
            return Error.Conflict("instancetype_exists", $"An instance type named '{rules.Value.Name}' already exists on cluster {view.Value.ClusterName}; edit it, or choose another name.", InstanceTypeFields.Name);
        }

        if (existingName is not null && existing is null && existingName != InstanceType.DefaultName)
        {
            return Error.NotFound($"Instance type '{existingName}' does not exist on cluster {view.Value.ClusterName}.");
        }

        var fit = Check(rules.Value, view.Value).Errors;
        if (fit.Count > 0)
        {
            return Result<InstanceTypeEntry>.Failure(fit);
        }

        var applied = await ApplyAsync(clusterId, rules.Value, removeForeignFields: existingName is not null, cancellationToken).ConfigureAwait(false);
        if (!applied.IsSuccess)
        {
            return applied;
        }

        await AuditAsync(actor, existingName is null ? "instancetype.create" : "instancetype.update", view.Value.ClusterName, rules.Value, cancellationToken).ConfigureAwait(false);
        return applied;
    }

    private async Task<Result<InstanceTypeEntry>> ApplyAsync(Guid clusterId, InstanceType instanceType, bool removeForeignFields, CancellationToken cancellationToken)
    {
        var client = await clients.GetAsync(clusterId, cancellationToken).ConfigureAwait(false);
        if (!client.IsSuccess)
        {
            return Result<InstanceTypeEntry>.Failure(client.Errors);
        }

        try
        {
            var manifest = new ManifestObject(InstanceTypeManifest.ApiVersion, "InstanceType", null, instanceType.Name, InstanceTypeManifest.ToBody(instanceType)) { Plural = InstanceTypeManifest.Plural };
            var resource = await ServerSideApplier.ApplyAsync<InstanceTypeResource>(client.Value, manifest, cancellationToken).ConfigureAwait(false);
            if (removeForeignFields && ForeignLeftovers(resource, instanceType) is { } cleanup)
            {
                // Fields other managers (kubectl, Azure ML tooling) own survive an apply that omits them: remove them so
                // the resource is exactly what the form showed.
                var merge = new V1Patch(cleanup.ToJsonString(), V1Patch.PatchType.MergePatch);
                var result = await client.Value.CustomObjects.PatchClusterCustomObjectAsync(
                    merge, InstanceTypeManifest.Group, InstanceTypeManifest.Version, InstanceTypeManifest.Plural, instanceType.Name,
                    fieldManager: ServerSideApplier.FieldManager, cancellationToken: cancellationToken).ConfigureAwait(false);
                resource = Deserialize(result);
            }

            return InstanceTypeManifest.ToEntry(resource);
        }
        catch (HttpOperationException e)
        {
            return Result<InstanceTypeEntry>.Failure(ServerErrors(e, instanceType.Name));
        }
        catch (HttpRequestException e)
        {
            return Error.Conflict("cluster_unavailable", ClusterProblems.Describe(e));
        }
    }

    /// <summary>A merge patch nulling nodeSelector keys and request/limit entries the desired object does not have, or null.</summary>
    private static JsonObject? ForeignLeftovers(InstanceTypeResource live, InstanceType desired)
    {
        if (live.Spec is not { ValueKind: JsonValueKind.Object } spec)
        {
            return null;
        }

        var patchSpec = new JsonObject();
        if (spec.TryGetProperty("nodeSelector", out var selector) && selector.ValueKind == JsonValueKind.Object)
        {
            var extra = selector.EnumerateObject().Where(p => !desired.NodeSelector.ContainsKey(p.Name)).ToList();
            if (extra.Count > 0)
            {
                patchSpec["nodeSelector"] = new JsonObject(extra.Select(p => new KeyValuePair<string, JsonNode?>(p.Name, null)));
            }
        }

        if (spec.TryGetProperty("resources", out var resources) && resources.ValueKind == JsonValueKind.Object)
        {
            var patchResources = new JsonObject();
            foreach (var part in new[] { "requests", "limits" })
            {
                if (resources.TryGetProperty(part, out var values) && values.ValueKind == JsonValueKind.Object)
                {
                    var extra = values.EnumerateObject().Where(p => p.Name is not ("cpu" or "memory") && !(part == "limits" && p.Name == InstanceTypeManifest.Gpu && desired.Limits.Gpus > 0)).ToList();
                    if (extra.Count > 0)
                    {
                        patchResources[part] = new JsonObject(extra.Select(p => new KeyValuePair<string, JsonNode?>(p.Name, null)));
                    }
                }
            }

            if (patchResources.Count > 0)
            {
                patchSpec["resources"] = patchResources;
            }
        }

        return patchSpec.Count == 0 ? null : new JsonObject { ["spec"] = patchSpec };
    }

    /// <summary>Deletes an instance type from the cluster; refused while a compute target uses it as its default.</summary>
    public async Task<Result> DeleteAsync(Actor actor, Guid clusterId, string name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!actor.IsAdministrator)
        {
            return Result.Failure(Error.Forbidden("Only administrators can delete instance types."));
        }

        var view = await ViewAsync(clusterId, null, cancellationToken).ConfigureAwait(false);
        if (!view.IsSuccess)
        {
            return Result.Failure(view.Errors);
        }

        var entry = view.Value.Entries.FirstOrDefault(e => e.Name == name);
        if (entry is null)
        {
            return Result.Failure(Error.NotFound($"Instance type '{name}' does not exist on cluster {view.Value.ClusterName}."));
        }

        if (entry.IsImplicit)
        {
            return Result.Failure(Error.Conflict("instancetype_implicit", $"'{name}' is the implicit default of every cluster; it cannot be deleted. Create a resource with this name to change it."));
        }

        await using (var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false))
        {
            var workspaces = await db.Workspaces.AsNoTracking().ToListAsync(cancellationToken).ConfigureAwait(false);
            var users = workspaces
                .SelectMany(w => w.ComputeTargets.Where(c => c.ClusterId == clusterId && c.DefaultInstanceType == name && name != InstanceType.DefaultName).Select(c => $"{w.Name}/{c.Name}"))
                .ToList();
            if (users.Count > 0)
            {
                return Result.Failure(Error.Conflict("instancetype_in_use", $"'{name}' is the default instance type of compute target {string.Join(", ", users)}; choose another default there first."));
            }
        }

        var client = await clients.GetAsync(clusterId, cancellationToken).ConfigureAwait(false);
        if (!client.IsSuccess)
        {
            return Result.Failure(client.Errors);
        }

        try
        {
            await client.Value.CustomObjects.DeleteClusterCustomObjectAsync(InstanceTypeManifest.Group, InstanceTypeManifest.Version, InstanceTypeManifest.Plural, name, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            // Already gone: the outcome the caller wanted.
        }
        catch (Exception e) when (e is HttpOperationException or HttpRequestException)
        {
            return Result.Failure(Error.Conflict("cluster_unavailable", ClusterProblems.Describe(e)));
        }

        await using (var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false))
        {
            db.Audit(clock, actor, "instancetype.delete", $"{view.Value.ClusterName}/{name}");
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }

        return Result.Success();
    }

    /// <summary>
    /// Imports InstanceType / InstanceTypeList YAML: every item is validated (rules and fit) first; nothing is written
    /// unless all are valid. A dry run reports what would be created, updated or left unchanged.
    /// </summary>
    public async Task<Result<ImportReport>> ImportAsync(Actor actor, Guid clusterId, string? yaml, bool dryRun, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!actor.IsAdministrator)
        {
            return Error.Forbidden("Only administrators can import instance types.");
        }

        var parsed = InstanceTypeYaml.Parse(yaml);
        if (!parsed.IsSuccess)
        {
            return Result<ImportReport>.Failure(parsed.Errors);
        }

        var view = await ViewAsync(clusterId, null, cancellationToken).ConfigureAwait(false);
        if (!view.IsSuccess)
        {
            return Result<ImportReport>.Failure(view.Errors);
        }

        if (!view.Value.ExtensionInstalled)
        {
            return NotInstalled(view.Value.ClusterName);
        }

        var planned = new List<(ImportedInstanceType Item, InstanceType? Valid, ImportItemResult Result)>();
        foreach (var item in parsed.Value)
        {
            if (item.Problems.Count > 0)
            {
                planned.Add((item, null, new ImportItemResult(item.Path, item.Line, item.Draft.Name, ImportOutcome.Failed, item.Problems, [])));
                continue;
            }

            var valid = InstanceTypeRules.Validate(item.Draft).Value;
            var check = Check(valid, view.Value);
            var prefix = item.Path + ".";
            if (!check.IsValid)
            {
                planned.Add((item, null, new ImportItemResult(item.Path, item.Line, valid.Name, ImportOutcome.Failed, [.. check.Errors.Select(e => e with { Field = prefix + e.Field })], [])));
                continue;
            }

            var current = view.Value.Entries.FirstOrDefault(e => e.Name == valid.Name && !e.IsImplicit);
            var outcome = current is null ? ImportOutcome.Created
                : current.InstanceType is { } same && Same(same, valid) ? ImportOutcome.Unchanged
                : ImportOutcome.Updated;
            planned.Add((item, valid, new ImportItemResult(item.Path, item.Line, valid.Name, outcome, [], [.. check.Warnings.Select(e => e with { Field = prefix + e.Field })])));
        }

        if (dryRun || planned.Any(p => p.Valid is null))
        {
            return new ImportReport(dryRun, false, [.. planned.Select(p => p.Result)]);
        }

        var results = new List<ImportItemResult>();
        foreach (var (item, valid, result) in planned)
        {
            if (result.Outcome == ImportOutcome.Unchanged)
            {
                results.Add(result);
                continue;
            }

            var applied = await ApplyAsync(clusterId, valid!, removeForeignFields: result.Outcome == ImportOutcome.Updated, cancellationToken).ConfigureAwait(false);
            results.Add(applied.IsSuccess ? result : result with { Outcome = ImportOutcome.Failed, Errors = [.. applied.Errors.Select(e => e with { Field = item.Path + "." + (e.Field ?? "metadata.name") })] });
        }

        await using (var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false))
        {
            db.Audit(clock, actor, "instancetype.import", view.Value.ClusterName, string.Join(", ", results.Select(r => $"{r.Name}:{r.Outcome}")));
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }

        return new ImportReport(false, true, results);
    }

    /// <summary>YAML of the named instance types (all resources when <paramref name="names"/> is empty; the implicit default only when named).</summary>
    public async Task<Result<string>> ExportAsync(Guid clusterId, IReadOnlyCollection<string>? names, CancellationToken cancellationToken)
    {
        var view = await ViewAsync(clusterId, null, cancellationToken).ConfigureAwait(false);
        if (!view.IsSuccess)
        {
            return Result<string>.Failure(view.Errors);
        }

        var valid = view.Value.Entries.Where(e => e.InstanceType is not null).ToList();
        List<InstanceType> chosen;
        if (names is { Count: > 0 })
        {
            var missing = names.Where(n => valid.All(e => e.Name != n)).ToList();
            if (missing.Count > 0)
            {
                return Error.NotFound($"No valid instance type named {string.Join(", ", missing.Select(m => $"'{m}'"))} on cluster {view.Value.ClusterName}.");
            }

            chosen = [.. valid.Where(e => names.Contains(e.Name)).Select(e => e.InstanceType!)];
        }
        else
        {
            chosen = [.. valid.Where(e => !e.IsImplicit).Select(e => e.InstanceType!)];
        }

        return InstanceTypeManifest.ToYaml(chosen);
    }
}
