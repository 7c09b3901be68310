using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace Studio.Web.Live;

/// <summary>
/// In-process fan-out of changes per scope (a cluster, a workspace, ...): one bounded channel per subscriber, changes
/// coalesced per object within a window (~100 ms), and a subscriber that falls too far behind gets a fresh snapshot
/// instead of unbounded memory — a slow subscriber never slows the others or the publisher.
/// </summary>
public sealed class LiveBroadcaster<T>
    where T : class
{
    private readonly ConcurrentDictionary<string, ImmutableHashSet<Subscriber>> _scopes = new(StringComparer.Ordinal);

    /// <summary>Subscribers per scope (for diagnostics and tests).</summary>
    public int SubscriberCount(string scope) => _scopes.TryGetValue(scope, out var set) ? set.Count : 0;

    /// <summary>Publishes a change to every subscriber of the scope. Never blocks.</summary>
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
    /// Streams batches for a scope: first the snapshot, then coalesced changes. Registration happens before the
    /// snapshot is taken, so nothing between the two is missed (a change may arrive twice; upserts are idempotent).
    /// Cancelling the enumeration unsubscribes.
    /// </summary>
    public async IAsyncEnumerable<LiveBatch<T>> SubscribeAsync(
        string scope,
        Func<IReadOnlyList<LiveChange<T>>> snapshot,
        TimeSpan window,
        int capacity = 10_000,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var subscriber = new Subscriber(capacity);
        _scopes.AddOrUpdate(scope, _ => [subscriber], (_, set) => set.Add(subscriber));
        try
        {
            yield return new LiveBatch<T>(true, snapshot());
            while (!cancellationToken.IsCancellationRequested)
            {
                if (!await subscriber.Channel.Reader.WaitToReadAsync(cancellationToken))
                {
                    yield break;
                }

                await Task.Delay(window, cancellationToken);
                if (subscriber.TakeOverflow())
                {
                    while (subscriber.Channel.Reader.TryRead(out _))
                    {
                    }

                    yield return new LiveBatch<T>(true, snapshot());
                    continue;
                }

                var coalesced = new Dictionary<string, LiveChange<T>>(StringComparer.Ordinal);
                var order = new List<string>();
                while (subscriber.Channel.Reader.TryRead(out var change))
                {
                    if (!coalesced.ContainsKey(change.Key))
                    {
                        order.Add(change.Key);
                    }

                    coalesced[change.Key] = change;
                }

                if (order.Count > 0)
                {
                    yield return new LiveBatch<T>(false, [.. order.Select(k => coalesced[k])]);
                }
            }
        }
        finally
        {
            _scopes.AddOrUpdate(scope, _ => [], (_, set) => set.Remove(subscriber));
        }
    }

    private sealed class Subscriber(int capacity)
    {
        private int _overflow;

        public Channel<LiveChange<T>> Channel { get; } = System.Threading.Channels.Channel.CreateBounded<LiveChange<T>>(
            new BoundedChannelOptions(capacity) { SingleReader = true, SingleWriter = false, FullMode = BoundedChannelFullMode.Wait });

        public void Offer(LiveChange<T> change)
        {
            // Full: the subscriber is too far behind. It will get a fresh snapshot instead of these changes.
            if (!Channel.Writer.TryWrite(change))
            {
                Interlocked.Exchange(ref _overflow, 1);
            }
        }

        public bool TakeOverflow() => Interlocked.Exchange(ref _overflow, 0) == 1;
    }
}
