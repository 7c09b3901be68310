using Microsoft.EntityFrameworkCore;
using Studio.Domain.Artifacts;
using Studio.Domain.Common;
using Studio.Domain.Jobs;
using Studio.Domain.Workspaces;
using Studio.Infrastructure.Persistence;
using Studio.Infrastructure.Persistence.Repositories;

namespace Studio.Infrastructure.Datastores;

/// <summary>
/// A workspace's datastores: members list them and use them by name; administrators create, change, test and delete
/// them. Every workspace also has <see cref="DatastoreName.Default"/>, the studio's own store, which cannot be changed.
/// Secrets go to <see cref="DatastoreCredentialStore"/> (encrypted) and never come back out of this service.
/// </summary>
public sealed class DatastoreService(UnitOfWorkFactory units, DatastoreCredentialStore credentials, DatastoreConnectionTest tester, DatastoreStoreCache cache, TimeProvider clock)
{
    public const string BuiltInDescription = "The studio's own artifact store (Studio:Artifacts:Store): job outputs go here unless a job names another datastore.";

    public async Task<Result<IReadOnlyList<DatastoreView>>> ListAsync(Actor actor, string workspaceName, CancellationToken cancellationToken)
    {
        await using var work = units.Begin();
        var workspace = await work.Workspaces.FindByNameAsync(workspaceName, cancellationToken).ConfigureAwait(false);
        if (WorkspaceAccess.Check(actor, workspace, workspaceName, WorkspaceRole.Reader) is { } denied)
        {
            return denied;
        }

        var stored = await work.Db.Datastores.AsNoTracking().Where(d => d.WorkspaceId == workspace!.Id).ToListAsync(cancellationToken).ConfigureAwait(false);
        var secrets = await SecretIdsAsync(work.Db, stored.Select(s => s.Id), cancellationToken).ConfigureAwait(false);
        return Result.Success<IReadOnlyList<DatastoreView>>(
        [
            DatastoreView.From(Datastore.StudioDefault(workspace!.Id), false, BuiltInDescription),
            .. stored.OrderBy(s => s.Name, StringComparer.OrdinalIgnoreCase).Select(s => DatastoreView.From(s, secrets.Contains(s.Id))),
        ]);
    }

    public async Task<Result<DatastoreView>> GetAsync(Actor actor, string workspaceName, string name, CancellationToken cancellationToken)
    {
        await using var work = units.Begin();
        var (store, denied) = await FindAsync(work, actor, workspaceName, name, WorkspaceRole.Reader, cancellationToken).ConfigureAwait(false);
        if (denied is not null)
        {
            return denied;
        }

        return DatastoreView.From(store!, !store!.IsStudioDefault && await work.Db.DatastoreCredentials.AnyAsync(c => c.DatastoreId == store.Id, cancellationToken).ConfigureAwait(false), store.IsStudioDefault ? BuiltInDescription : null);
    }

    public async Task<Result<DatastoreView>> CreateAsync(Actor actor, string workspaceName, DatastoreInput input, CancellationToken cancellationToken)
    {
        await using var work = units.Begin();
        var workspace = await work.Workspaces.FindByNameAsync(workspaceName, cancellationToken).ConfigureAwait(false);
        if (WorkspaceAccess.Check(actor, workspace, workspaceName, WorkspaceRole.Administrator, "Only administrators can create datastores.") is { } denied)
        {
            return denied;
        }

        if (input.Kind == DatastoreKind.StudioStore)
        {
            return Error.Validation("kind", $"The studio's own store is the datastore '{DatastoreName.Default}' every workspace has; create AzureBlob, S3 or Https datastores.");
        }

        if (string.Equals(input.Name?.Trim(), DatastoreName.Default, StringComparison.OrdinalIgnoreCase))
        {
            return Error.Conflict("datastore_exists", $"'{DatastoreName.Default}' is the studio's own store, which every workspace has; choose another name.", "name");
        }

        var created = Datastore.Create(workspace!.Id, input.Name?.Trim(), input.Kind, input.Settings, clock.GetUtcNow(), actor.DisplayName);
        var secret = input.Credentials ?? DatastoreCredentials.Empty;
        var errors = created.IsSuccess ? secret.Validate(input.Kind, created.Value.Auth) : [.. created.Errors, .. secret.Validate(input.Kind, input.Settings.Auth)];
        if (errors.Count > 0)
        {
            return Result<DatastoreView>.Failure(errors);
        }

        var store = created.Value;
        if (await work.Db.Datastores.AnyAsync(d => d.WorkspaceId == workspace.Id && d.Name.ToLower() == store.Name.ToLower(), cancellationToken).ConfigureAwait(false))
        {
            return Error.Conflict("datastore_exists", $"Workspace '{workspace.Name}' already has a datastore named '{store.Name}'.", "name");
        }

        work.Db.Datastores.Add(store);
        await credentials.StageAsync(work.Db, store.Id, secret, cancellationToken).ConfigureAwait(false);
        work.Db.Audit(clock, actor, "datastore.create", $"{workspace.Name}/{store.Name}", $"{store.Kind} {store.Endpoint?.Host} {store.Container} ({store.Auth})");
        try
        {
            await work.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (DbUpdateException)
        {
            return Error.Conflict("datastore_exists", $"Workspace '{workspace.Name}' already has a datastore named '{store.Name}'.", "name");
        }

        return DatastoreView.From(store, secret.HasSecret);
    }

    /// <summary>Changes a datastore's settings; its secret is replaced when <see cref="DatastoreInput.Credentials"/> is given, else kept (if the authentication did not change).</summary>
    public async Task<Result<DatastoreView>> UpdateAsync(Actor actor, string workspaceName, string name, DatastoreInput input, CancellationToken cancellationToken)
    {
        await using var work = units.Begin();
        var (store, denied) = await FindAsync(work, actor, workspaceName, name, WorkspaceRole.Administrator, cancellationToken, tracked: true).ConfigureAwait(false);
        if (denied is not null)
        {
            return denied;
        }

        if (input.Kind != store!.Kind)
        {
            return Error.Validation("kind", $"A datastore's kind cannot change ('{store.Name}' is {store.Kind}); create another datastore.");
        }

        var authChanged = input.Settings.Auth != store.Auth;
        var updated = store.Update(input.Settings, clock.GetUtcNow());
        var secretErrors = input.Credentials is { } given
            ? given.Validate(store.Kind, input.Settings.Auth)
            : authChanged ? DatastoreCredentials.Empty.Validate(store.Kind, input.Settings.Auth) : [];
        if (!updated.IsSuccess || secretErrors.Count > 0)
        {
            return Result<DatastoreView>.Failure([.. updated.Errors, .. secretErrors]);
        }

        if (input.Credentials is not null || authChanged)
        {
            await credentials.StageAsync(work.Db, store.Id, input.Credentials ?? DatastoreCredentials.Empty, cancellationToken).ConfigureAwait(false);
        }

        work.Db.Audit(clock, actor, "datastore.update", $"{workspaceName}/{store.Name}", input.Credentials is null ? "settings" : "settings and secret");
        await work.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        cache.Invalidate(store.Id);
        var hasSecret = await work.Db.DatastoreCredentials.AnyAsync(c => c.DatastoreId == store.Id, cancellationToken).ConfigureAwait(false);
        return DatastoreView.From(store, hasSecret);
    }

    /// <summary>Deletes a datastore, refused while a job that is not finished names it (its inputs or outputs).</summary>
    public async Task<Result> DeleteAsync(Actor actor, string workspaceName, string name, CancellationToken cancellationToken)
    {
        await using var work = units.Begin();
        var (store, denied) = await FindAsync(work, actor, workspaceName, name, WorkspaceRole.Administrator, cancellationToken, tracked: true).ConfigureAwait(false);
        if (denied is not null)
        {
            return Result.Failure(denied);
        }

        if (store!.IsStudioDefault)
        {
            return Result.Failure(Error.Conflict("datastore_builtin", $"'{store.Name}' is the studio's own store; it cannot be deleted."));
        }

        var users = await JobsUsingAsync(work.Db, store, cancellationToken).ConfigureAwait(false);
        if (users.Count > 0)
        {
            return Result.Failure(Error.Conflict("datastore_in_use", $"Datastore '{store.Name}' is used by {users.Count} job{(users.Count == 1 ? string.Empty : "s")} that {(users.Count == 1 ? "has" : "have")} not finished ({string.Join(", ", users.Take(5))}); delete it when they end, or cancel them."));
        }

        work.Db.Datastores.Remove(store);
        work.Db.Audit(clock, actor, "datastore.delete", $"{workspaceName}/{store.Name}", store.Kind.ToString());
        await work.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        cache.Invalidate(store.Id);
        return Result.Success();
    }

    /// <summary>Tests a saved datastore with its stored secret.</summary>
    public async Task<Result<DatastoreConnectionResult>> TestAsync(Actor actor, string workspaceName, string name, CancellationToken cancellationToken)
    {
        Datastore store;
        await using (var work = units.Begin())
        {
            var (found, denied) = await FindAsync(work, actor, workspaceName, name, WorkspaceRole.Administrator, cancellationToken).ConfigureAwait(false);
            if (denied is not null)
            {
                return denied;
            }

            store = found!;
        }

        if (store.IsStudioDefault)
        {
            return DatastoreConnectionResult.Success("The studio's own store is used by every job's code; it is checked at start-up.");
        }

        var secret = await credentials.ReadAsync(store.Id, cancellationToken).ConfigureAwait(false);
        return await tester.RunAsync(store, secret, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Tests datastore settings before they are saved (the form's "Test connection").</summary>
    public async Task<Result<DatastoreConnectionResult>> TestAsync(Actor actor, string workspaceName, DatastoreInput input, CancellationToken cancellationToken)
    {
        Guid workspaceId;
        await using (var work = units.Begin())
        {
            var workspace = await work.Workspaces.FindByNameAsync(workspaceName, cancellationToken).ConfigureAwait(false);
            if (WorkspaceAccess.Check(actor, workspace, workspaceName, WorkspaceRole.Administrator, "Only administrators can test datastores.") is { } denied)
            {
                return denied;
            }

            workspaceId = workspace!.Id;
        }

        var name = string.IsNullOrWhiteSpace(input.Name) ? "connection_test" : input.Name.Trim();
        var created = Datastore.Create(workspaceId, name, input.Kind, input.Settings, clock.GetUtcNow(), actor.DisplayName);
        var secret = input.Credentials ?? DatastoreCredentials.Empty;
        var errors = input.Kind == DatastoreKind.StudioStore
            ? [Error.Validation("kind", "Test AzureBlob, S3 or Https datastores.")]
            : created.IsSuccess ? secret.Validate(input.Kind, created.Value.Auth) : created.Errors;
        if (errors.Count > 0)
        {
            return Result<DatastoreConnectionResult>.Failure(errors);
        }

        return await tester.RunAsync(created.Value, secret, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The datastore <paramref name="name"/> of a workspace (the studio's own store included), for a caller that already checked access; null when there is none.</summary>
    public async Task<Datastore?> FindAsync(Guid workspaceId, string name, CancellationToken cancellationToken)
    {
        if (string.Equals(name, DatastoreName.Default, StringComparison.Ordinal))
        {
            return Datastore.StudioDefault(workspaceId);
        }

        await using var work = units.Begin();
        return await work.Db.Datastores.AsNoTracking().FirstOrDefaultAsync(d => d.WorkspaceId == workspaceId && d.Name == name, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<(Datastore? Store, Error? Denied)> FindAsync(UnitOfWork work, Actor actor, string workspaceName, string name, WorkspaceRole minimum, CancellationToken cancellationToken, bool tracked = false)
    {
        var workspace = await work.Workspaces.FindByNameAsync(workspaceName, cancellationToken).ConfigureAwait(false);
        var forbidden = minimum == WorkspaceRole.Administrator ? "Only administrators can change datastores." : null;
        if (WorkspaceAccess.Check(actor, workspace, workspaceName, minimum, forbidden) is { } denied)
        {
            return (null, denied);
        }

        if (string.Equals(name, DatastoreName.Default, StringComparison.Ordinal))
        {
            return (Datastore.StudioDefault(workspace!.Id), null);
        }

        var query = tracked ? work.Db.Datastores : work.Db.Datastores.AsNoTracking();
        var store = await query.FirstOrDefaultAsync(d => d.WorkspaceId == workspace!.Id && d.Name == name, cancellationToken).ConfigureAwait(false);
        return store is null ? (null, Error.NotFound($"Workspace '{workspace!.Name}' has no datastore named '{name}'.")) : (store, null);
    }

    private static async Task<HashSet<Guid>> SecretIdsAsync(StudioDbContext db, IEnumerable<Guid> ids, CancellationToken cancellationToken)
    {
        var list = ids.ToList();
        return [.. await db.DatastoreCredentials.AsNoTracking().Where(c => list.Contains(c.DatastoreId)).Select(c => c.DatastoreId).ToListAsync(cancellationToken).ConfigureAwait(false)];
    }

    /// <summary>The names of the workspace's unfinished jobs whose inputs or outputs name <paramref name="store"/>.</summary>
    private static async Task<List<string>> JobsUsingAsync(StudioDbContext db, Datastore store, CancellationToken cancellationToken)
    {
        var reference = $"azureml://datastores/{store.Name}/";
        var open = await db.Jobs.AsNoTracking()
            .Where(j => j.WorkspaceId == store.WorkspaceId && j.State != JobState.Completed && j.State != JobState.Failed && j.State != JobState.Canceled)
            .Select(j => new { j.Name, j.SpecJson })
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        return [.. open.Where(j => j.SpecJson.Contains(reference, StringComparison.OrdinalIgnoreCase)).Select(j => j.Name).Order(StringComparer.Ordinal)];
    }
}
