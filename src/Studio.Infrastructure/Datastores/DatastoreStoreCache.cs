using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Studio.Domain.Artifacts;
using Studio.Infrastructure.Artifacts;
using Studio.Infrastructure.Persistence.Repositories;

namespace Studio.Infrastructure.Datastores;

/// <summary>
/// The datastores the relay serves, by id, with their store clients (secret decrypted once): a relayed file does not
/// read the datastore's row nor decrypt its secret again. <see cref="DatastoreService"/> drops an entry when it changes
/// or deletes the datastore, so a new key takes effect at once on this replica; other replicas read it again after
/// <see cref="ArtifactsOptions.DatastoreCacheLifetime"/>.
/// </summary>
public sealed class DatastoreStoreCache(UnitOfWorkFactory units, DatastoreStores stores, TimeProvider clock, IOptions<ArtifactsOptions> options)
{
    private readonly ConcurrentDictionary<Guid, Entry> _entries = new();
    private readonly ConcurrentDictionary<Guid, long> _changes = new();

    /// <summary>The datastore with <paramref name="id"/> (a workspace's id is its studio store) and its store; null when there is none.</summary>
    public async Task<(Datastore Datastore, IArtifactStore Store)?> FindAsync(Guid id, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        if (_entries.TryGetValue(id, out var cached) && cached.Until > now)
        {
            return (cached.Datastore, cached.Store);
        }

        var change = _changes.GetValueOrDefault(id);
        var datastore = await LoadAsync(id, cancellationToken).ConfigureAwait(false);
        if (datastore is null)
        {
            _entries.TryRemove(id, out _);
            return null;
        }

        var store = await stores.ForAsync(datastore, cancellationToken).ConfigureAwait(false);

        // A change saved while this one loaded wins: what was read before it is not kept.
        if (_changes.GetValueOrDefault(id) == change)
        {
            _entries[id] = new Entry(datastore, store, now + options.Value.DatastoreCacheLifetime);
        }

        return (datastore, store);
    }

    /// <summary>Forgets the datastore with <paramref name="id"/>: its next relayed file reads it (and its secret) again.</summary>
    public void Invalidate(Guid id)
    {
        _changes.AddOrUpdate(id, 1, (_, n) => n + 1);
        _entries.TryRemove(id, out _);
    }

    private async Task<Datastore?> LoadAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var work = units.Begin();
        var store = await work.Db.Datastores.AsNoTracking().FirstOrDefaultAsync(d => d.Id == id, cancellationToken).ConfigureAwait(false);
        if (store is not null)
        {
            return store;
        }

        return await work.Db.Workspaces.AsNoTracking().AnyAsync(w => w.Id == id, cancellationToken).ConfigureAwait(false) ? Datastore.StudioDefault(id) : null;
    }

    private sealed record Entry(Datastore Datastore, IArtifactStore Store, DateTimeOffset Until);
}
