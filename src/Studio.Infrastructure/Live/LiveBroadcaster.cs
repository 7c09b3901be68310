using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Runtime.CompilerServices;

namespace Studio.Infrastructure.Live;

/// <summary>
/// In-process fan-out of changes per scope key (a cluster, a namespace, ...): one bounded buffer per subscriber, changes
/// coalesced per object within a window (~100 ms), and a subscriber that falls too far behind gets a fresh snapshot
/// instead of unbounded memory — a slow subscriber never slows the others or the publisher.
/// </summary>
/// <remarks>
/// The buffer coalesces as changes arrive (latest change per object wins, first-seen order kept), so its memory is
/// bounded by <c>capacity</c> distinct objects whatever the change rate. When more distinct objects are pending than
/// that, the pending changes are dropped and the next batch is a snapshot.
/// </remarks>
public sealed class LiveBroadcaster<T>
    where T : class
{
    private readonly ConcurrentDictionary<string, ImmutableHashSet<LiveSubscription<T>>> _scopes = new(StringComparer.Ordinal);

    /// <summary>Subscribers per scope key (for diagnostics and tests).</summary>
    public int SubscriberCount(string scope) => _scopes.TryGetValue(scope, out var set) ? set.Count : 0;

    /// <summary>Scope keys that currently have subscribers.</summary>
    public IReadOnlyCollection<string> ActiveScopes => [.. _scopes.Where(s => !s.Value.IsEmpty).Select(s => s.Key)];

    /// <summary>Publishes a change to every subscriber of the scope key. Never blocks on a subscriber.</summary>
    public void Publish(string scope, LiveChange<T> change)
    {
        if (!_scopes.TryGetValue(scope, out var subscribers))
        {
            return;
        }

        foreach (var subscriber in subscribers)
        {
            subscriber.Offer(change);
        }
    }

    /// <summary>
    /// Every subscriber of the scope key gets a fresh snapshot as its next batch (the source relisted: objects may have
    /// gone without a delete event).
    /// </summary>
    public void Resync(string scope)
    {
        if (_scopes.TryGetValue(scope, out var subscribers))
        {
            foreach (var subscriber in subscribers)
            {
                subscriber.Invalidate();
            }
        }
    }

    /// <summary>Streams batches for one scope key; see the overload with several keys.</summary>
    public IAsyncEnumerable<LiveBatch<T>> SubscribeAsync(
        string scope,
        Func<IReadOnlyList<LiveChange<T>>> snapshot,
        TimeSpan window,
        int capacity = 10_000,
        CancellationToken cancellationToken = default) =>
        SubscribeAsync([scope], snapshot, window, null, capacity, cancellationToken);

    /// <summary>
    /// Streams batches for the union of scope keys: first the snapshot, then coalesced changes (at most one batch per
    /// <paramref name="window"/>). Registration happens before the snapshot is taken, so nothing between the two is
    /// missed (a change may arrive twice; upserts are idempotent). <paramref name="filter"/> keeps only the changes the
    /// subscriber wants (deletes carry the last known value where the source knows it). Cancelling the enumeration
    /// unsubscribes.
    /// </summary>
    public async IAsyncEnumerable<LiveBatch<T>> SubscribeAsync(
        IReadOnlyCollection<string> scopes,
        Func<IReadOnlyList<LiveChange<T>>> snapshot,
        TimeSpan window,
        Func<LiveChange<T>, bool>? filter,
        int capacity = 10_000,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var subscription = Open(scopes, filter, capacity);
        yield return new LiveBatch<T>(true, snapshot());
        while (!cancellationToken.IsCancellationRequested)
        {
            await subscription.WaitAsync(cancellationToken);
            await Task.Delay(window, cancellationToken);
            var (resync, changes) = subscription.Take();
            if (resync)
            {
                yield return new LiveBatch<T>(true, snapshot());
            }
            else if (changes.Count > 0)
            {
                yield return new LiveBatch<T>(false, changes);
            }
        }
    }

    /// <summary>
    /// Registers a subscriber for the union of scope keys and hands its buffer to the caller, who decides when to
    /// <see cref="LiveSubscription{T}.Take"/> (a shared pump takes under its own lock so that joining a snapshot and taking
    /// a batch are ordered). Take a snapshot after opening; disposing unregisters.
    /// </summary>
    public LiveSubscription<T> Open(IReadOnlyCollection<string> scopes, Func<LiveChange<T>, bool>? filter, int capacity = 10_000)
    {
        var subscription = new LiveSubscription<T>(capacity, filter, Unregister);
        foreach (var scope in scopes)
        {
            _scopes.AddOrUpdate(scope, _ => [subscription], (_, set) => set.Add(subscription));
        }

        return subscription;

        void Unregister(LiveSubscription<T> gone)
        {
            foreach (var scope in scopes)
            {
                var left = _scopes.AddOrUpdate(scope, _ => [], (_, set) => set.Remove(gone));
                if (left.IsEmpty)
                {
                    _scopes.TryRemove(new KeyValuePair<string, ImmutableHashSet<LiveSubscription<T>>>(scope, left));
                }
            }
        }
    }
}
