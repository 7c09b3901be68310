using Microsoft.EntityFrameworkCore;
using Studio.Domain.Artifacts;
using Studio.Domain.Common;
using Studio.Domain.Workspaces;
using Studio.Infrastructure.Persistence;
using Studio.Infrastructure.Persistence.Repositories;

namespace Studio.Infrastructure.Assets;

/// <summary>
/// Models of a workspace: list, read, register a version from a datastore path or from uploaded files (stored as a
/// content-addressed snapshot; an <c>mlflow_model</c> must hold its <c>MLmodel</c> file), browse and download an
/// upload's files, remove and archive. Readers read; data scientists register and remove. Each call is one unit of work.
/// </summary>
public sealed class ModelService(UnitOfWorkFactory units, AssetFiles files, TimeProvider clock) : IAssetCatalog
{
    public async Task<Result<IReadOnlyList<AssetSummary>>> ListAsync(Actor actor, string workspaceName, bool includeArchived, CancellationToken cancellationToken)
    {
        await using var work = units.Begin();
        var (workspace, denied) = await WorkspaceAsync(work, actor, workspaceName, WorkspaceRole.Reader, cancellationToken);
        if (denied is not null)
        {
            return denied;
        }

        var assets = await work.Db.Set<RegisteredModel>().AsNoTracking().Where(a => a.WorkspaceId == workspace!.Id).ToListAsync(cancellationToken);
        return Result.Success<IReadOnlyList<AssetSummary>>([.. assets
            .Where(a => includeArchived || a.Latest is not null)
            .Select(a => (Asset: a, Latest: a.Latest ?? a.Versions.OrderByDescending(v => v.CreatedAt).First()))
            .Select(x => new AssetSummary(x.Asset.Name, x.Asset.Latest?.Version, x.Latest.Type.ToYaml(), x.Asset.Versions.Count, x.Asset.Versions.Max(v => v.CreatedAt), x.Latest.Description))
            .OrderBy(s => s.Name, StringComparer.OrdinalIgnoreCase)]);
    }

    public async Task<Result<AssetDetail>> GetAsync(Actor actor, string workspaceName, string name, CancellationToken cancellationToken)
    {
        await using var work = units.Begin();
        var (asset, denied) = await FindAsync(work, actor, workspaceName, name, WorkspaceRole.Reader, cancellationToken);
        return denied is not null
            ? denied
            : new AssetDetail(asset!.Name, asset.CreatedAt, [.. asset.Versions.OrderByDescending(v => v.CreatedAt).Select(v => AssetVersionView.From(asset, v))]);
    }

    /// <summary>One version, or the latest for <c>latest</c>.</summary>
    public async Task<Result<AssetVersionView>> GetVersionAsync(Actor actor, string workspaceName, string name, string version, CancellationToken cancellationToken)
    {
        await using var work = units.Begin();
        var (asset, denied) = await FindAsync(work, actor, workspaceName, name, WorkspaceRole.Reader, cancellationToken);
        if (denied is not null)
        {
            return denied;
        }

        var found = Version(asset!, version);
        return found is null ? Error.NotFound($"Model '{asset!.Name}' has no version {version}.") : AssetVersionView.From(asset!, found);
    }

    /// <summary>Creates a version whose data is at a location (<see cref="ModelDraft.Path"/>), or stores <paramref name="upload"/> and creates a version of it.</summary>
    public async Task<Result<AssetVersionView>> CreateAsync(Actor actor, string workspaceName, string? name, ModelDraft draft, AssetUpload? upload, CancellationToken cancellationToken)
    {
        await using var work = units.Begin();
        var (workspace, denied) = await WorkspaceAsync(work, actor, workspaceName, WorkspaceRole.DataScientist, cancellationToken, "register models");
        if (denied is not null)
        {
            return denied;
        }

        // Check the fields before anything is stored.
        var check = RegisteredModel.Register(workspace!.Id, name, upload is null ? draft : draft with { Path = "model/", Snapshot = "sha256:" + new string('0', 64) }, clock.GetUtcNow(), actor.DisplayName);
        if (!check.IsSuccess)
        {
            return Result<AssetVersionView>.Failure(check.Errors);
        }

        if (upload is not null)
        {
            var stored = upload.FromPath is { } from
                ? await files.StoreFromZipAsync(upload.Content, from, null, "path", cancellationToken)
                : await files.StoreAsync(upload.Content, upload.FileName, upload.IsZip, "file", cancellationToken);
            if (!stored.IsSuccess)
            {
                return Result<AssetVersionView>.Failure(stored.Errors);
            }

            if (RegisteredModel.CheckFiles(draft.Type, stored.Value.Files) is { } filesError)
            {
                return filesError;
            }

            draft = draft with { Path = stored.Value.Name, Snapshot = stored.Value.Snapshot };
        }

        var normalized = DataAsset.Normalize(name!);
        var asset = await work.Db.Set<RegisteredModel>().FirstOrDefaultAsync(a => a.WorkspaceId == workspace.Id && a.NormalizedName == normalized, cancellationToken);
        ModelVersion created;
        if (asset is null)
        {
            var registered = RegisteredModel.Register(workspace.Id, name, draft, clock.GetUtcNow(), actor.DisplayName);
            if (!registered.IsSuccess)
            {
                return Result<AssetVersionView>.Failure(registered.Errors);
            }

            asset = registered.Value;
            created = asset.Versions.Single();
            work.Db.Add(asset);
        }
        else
        {
            var added = asset.AddVersion(draft, clock.GetUtcNow(), actor.DisplayName);
            if (!added.IsSuccess)
            {
                return Result<AssetVersionView>.Failure(added.Errors);
            }

            created = added.Value;
        }

        work.Db.Audit(clock, actor, "model.create", workspace.Name, $"azureml:{asset.Name}:{created.Version} → {created.Snapshot ?? created.Path}");
        try
        {
            await work.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            return Error.Conflict("asset_version_exists", $"Model '{asset.Name}' version {created.Version} was just created by someone else; create a new version.", "version");
        }

        return AssetVersionView.From(asset, created);
    }

    /// <summary>The files of an uploaded version.</summary>
    public async Task<Result<IReadOnlyList<AssetFile>>> FilesAsync(Actor actor, string workspaceName, string name, string version, CancellationToken cancellationToken)
    {
        var found = await UploadAsync(actor, workspaceName, name, version, cancellationToken);
        if (!found.IsSuccess)
        {
            return Result<IReadOnlyList<AssetFile>>.Failure(found.Errors);
        }

        var listed = await files.ListAsync(found.Value, cancellationToken);
        return listed is null
            ? Error.NotFound($"The files of model '{name}' version {version} are not in the artifact store.")
            : Result.Success<IReadOnlyList<AssetFile>>([.. listed.Select(f => new AssetFile(f.Path, f.SizeBytes))]);
    }

    /// <summary>An uploaded version's files as a zip (<paramref name="path"/> null), or one of them.</summary>
    public async Task<Result<Stream>> OpenAsync(Actor actor, string workspaceName, string name, string version, string? path, CancellationToken cancellationToken)
    {
        var found = await UploadAsync(actor, workspaceName, name, version, cancellationToken);
        if (!found.IsSuccess)
        {
            return Result<Stream>.Failure(found.Errors);
        }

        var stream = await files.OpenAsync(found.Value, path, cancellationToken);
        return stream is null ? Error.NotFound(path is null ? $"The files of model '{name}' version {version} are not stored." : $"Model '{name}' version {version} has no file '{path}'.") : stream;
    }

    /// <summary>Deletes a version (false; deployments that use models come next and will archive instead).</summary>
    public async Task<Result<bool>> RemoveAsync(Actor actor, string workspaceName, string name, string version, CancellationToken cancellationToken)
    {
        await using var work = units.Begin();
        var (asset, denied) = await FindAsync(work, actor, workspaceName, name, WorkspaceRole.DataScientist, cancellationToken, "remove models");
        if (denied is not null)
        {
            return denied;
        }

        var removed = asset!.Remove(version);
        if (!removed.IsSuccess)
        {
            return removed;
        }

        if (asset.Versions.Count == 0)
        {
            work.Db.Remove(asset);
        }

        work.Db.Audit(clock, actor, removed.Value ? "model.archive" : "model.remove", workspaceName, $"azureml:{asset.Name}:{version}");
        await work.SaveChangesAsync(cancellationToken);
        return removed;
    }

    /// <summary>Archives a version (hidden from lists and <c>@latest</c>) or restores it.</summary>
    public async Task<Result> ArchiveAsync(Actor actor, string workspaceName, string name, string version, bool archived, CancellationToken cancellationToken)
    {
        await using var work = units.Begin();
        var (asset, denied) = await FindAsync(work, actor, workspaceName, name, WorkspaceRole.DataScientist, cancellationToken, "archive models");
        if (denied is not null)
        {
            return Result.Failure(denied);
        }

        var result = asset!.Archive(version, archived);
        if (result.IsSuccess)
        {
            work.Db.Audit(clock, actor, archived ? "model.archive" : "model.restore", workspaceName, $"azureml:{asset.Name}:{version}");
            await work.SaveChangesAsync(cancellationToken);
        }

        return result;
    }

    internal static ModelVersion? Version(RegisteredModel asset, string version) =>
        string.Equals(version, "latest", StringComparison.OrdinalIgnoreCase) ? asset.Latest : asset.Find(version);

    private async Task<Result<string>> UploadAsync(Actor actor, string workspaceName, string name, string version, CancellationToken cancellationToken)
    {
        await using var work = units.Begin();
        var (asset, denied) = await FindAsync(work, actor, workspaceName, name, WorkspaceRole.Reader, cancellationToken);
        if (denied is not null)
        {
            return denied;
        }

        var found = Version(asset!, version);
        if (found is null)
        {
            return Error.NotFound($"Model '{asset!.Name}' has no version {version}.");
        }

        return found.Snapshot is { } snapshot
            ? snapshot
            : Error.Conflict("not_uploaded", $"Model '{asset!.Name}' version {found.Version} is at {found.Path}; its files are browsed where they are, not in the studio.");
    }

    private static async Task<(Workspace? Workspace, Error? Denied)> WorkspaceAsync(UnitOfWork work, Actor actor, string workspaceName, WorkspaceRole role, CancellationToken cancellationToken, string? action = null)
    {
        var workspace = await work.Workspaces.FindByNameAsync(workspaceName, cancellationToken);
        return (workspace, WorkspaceAccess.Check(actor, workspace, workspaceName, role, action is null ? null : $"Only data scientists of workspace '{workspace?.Name}' can {action}."));
    }

    private static async Task<(RegisteredModel? Asset, Error? Denied)> FindAsync(UnitOfWork work, Actor actor, string workspaceName, string name, WorkspaceRole role, CancellationToken cancellationToken, string? action = null)
    {
        var (workspace, denied) = await WorkspaceAsync(work, actor, workspaceName, role, cancellationToken, action);
        if (denied is not null)
        {
            return (null, denied);
        }

        var normalized = DataAsset.Normalize(name);
        var asset = await work.Db.Set<RegisteredModel>().FirstOrDefaultAsync(a => a.WorkspaceId == workspace!.Id && a.NormalizedName == normalized, cancellationToken);
        return asset is null ? (null, Error.NotFound($"Workspace '{workspace!.Name}' has no model '{name}'.")) : (asset, null);
    }
}
