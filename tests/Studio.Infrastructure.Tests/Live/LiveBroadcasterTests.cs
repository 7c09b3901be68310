using Studio.Infrastructure.Live;

namespace Studio.Infrastructure.Tests.Live;

public sealed class LiveBroadcasterTests
{
    private sealed record Item(string Name, int Version);

    private static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    private static LiveChange<Item> Upsert(string name, int version) => new(ChangeKind.Upsert, name, new Item(name, version));

    [Fact]
    public async Task Subscribe_FirstBatchIsTheSnapshot_ThenBurstsCoalescePerObject()
    {
        var broadcaster = new LiveBroadcaster<Item>();
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        await using var batches = broadcaster.SubscribeAsync("s", () => [Upsert("a", 0)], TimeSpan.FromMilliseconds(50), cancellationToken: cts.Token).GetAsyncEnumerator(cts.Token);

        Assert.True(await batches.MoveNextAsync());
        Assert.True(batches.Current.IsSnapshot);
        Assert.Equal("a", Assert.Single(batches.Current.Changes).Key);

        for (var v = 1; v <= 100; v++)
        {
            broadcaster.Publish("s", Upsert("a", v));
            broadcaster.Publish("s", Upsert("b", v));
        }

        broadcaster.Publish("s", new LiveChange<Item>(ChangeKind.Delete, "b", null));
        var changes = new List<LiveChange<Item>>();
        while (changes.Count < 2)
        {
            Assert.True(await batches.MoveNextAsync());
            Assert.False(batches.Current.IsSnapshot);
            changes.AddRange(batches.Current.Changes);
        }

        Assert.Equal(2, changes.Count);
        Assert.Equal(100, changes.Single(c => c.Key == "a").Value!.Version);
        Assert.Equal(ChangeKind.Delete, changes.Single(c => c.Key == "b").Kind);
    }

    [Fact]
    public async Task SlowSubscriber_GetsAFreshSnapshot_InsteadOfUnboundedBacklog_AndOthersAreUnaffected()
    {
        var broadcaster = new LiveBroadcaster<Item>();
        var state = new Dictionary<string, Item>();
        IReadOnlyList<LiveChange<Item>> Snapshot()
        {
            lock (state)
            {
                return [.. state.Values.Select(i => new LiveChange<Item>(ChangeKind.Upsert, i.Name, i))];
            }
        }

        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        await using var slow = broadcaster.SubscribeAsync("s", Snapshot, TimeSpan.FromMilliseconds(10), capacity: 10, cancellationToken: cts.Token).GetAsyncEnumerator(cts.Token);
        await using var fast = broadcaster.SubscribeAsync("s", Snapshot, TimeSpan.FromMilliseconds(10), capacity: 10_000, cancellationToken: cts.Token).GetAsyncEnumerator(cts.Token);
        Assert.True(await slow.MoveNextAsync());
        Assert.True(await fast.MoveNextAsync());

        for (var i = 0; i < 50; i++)
        {
            var item = new Item($"o{i}", 1);
            lock (state)
            {
                state[item.Name] = item;
            }

            broadcaster.Publish("s", new LiveChange<Item>(ChangeKind.Upsert, item.Name, item));
        }

        Assert.True(await slow.MoveNextAsync());
        Assert.True(slow.Current.IsSnapshot);
        Assert.Equal(50, slow.Current.Changes.Count);

        var seen = new HashSet<string>();
        while (seen.Count < 50)
        {
            Assert.True(await fast.MoveNextAsync());
            Assert.False(fast.Current.IsSnapshot);
            seen.UnionWith(fast.Current.Changes.Select(c => c.Key));
        }
    }

    [Fact]
    public async Task CancellingTheStream_Unsubscribes()
    {
        var broadcaster = new LiveBroadcaster<Item>();
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var enumerator = broadcaster.SubscribeAsync("s", () => [], TimeSpan.FromMilliseconds(10), cancellationToken: cts.Token).GetAsyncEnumerator(cts.Token);
        Assert.True(await enumerator.MoveNextAsync());
        Assert.Equal(1, broadcaster.SubscriberCount("s"));

        await cts.CancelAsync();
        try
        {
            Assert.False(await enumerator.MoveNextAsync());
        }
        catch (OperationCanceledException)
        {
            // Either ending or throwing on cancellation is a clean stop.
        }

        await enumerator.DisposeAsync();

        Assert.Equal(0, broadcaster.SubscriberCount("s"));
    }

    [Fact]
    public async Task SnapshotPlusChanges_UnderConcurrentWriters_EndsEqualToTheSource()
    {
        var broadcaster = new LiveBroadcaster<Item>();
        var state = new System.Collections.Concurrent.ConcurrentDictionary<string, Item>();
        IReadOnlyList<LiveChange<Item>> Snapshot() => [.. state.Values.Select(i => new LiveChange<Item>(ChangeKind.Upsert, i.Name, i))];

        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var views = new List<(Dictionary<string, Item> View, int Snapshots)>();

        // The writers go on past 2,000 changes each until the small-buffer subscriber has fallen back to a snapshot at
        // least once (on a loaded machine slow writers could otherwise never fill its buffer), at most 200,000.
        var fellBack = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var writers = Enumerable.Range(0, 4).Select(w => Task.Run(
            () =>
            {
                for (var v = 1; v <= 2_000 || (!fellBack.Task.IsCompleted && v <= 200_000); v++)
                {
                    var name = $"w{w}-{v % 50}";
                    if (v % 97 == 0)
                    {
                        state.TryRemove(name, out _);
                        broadcaster.Publish("s", new LiveChange<Item>(ChangeKind.Delete, name, null));
                    }
                    else
                    {
                        var item = new Item(name, v);
                        state[name] = item;
                        broadcaster.Publish("s", new LiveChange<Item>(ChangeKind.Upsert, name, item));
                    }

                    if (v % 200 == 0)
                    {
                        Thread.Sleep(1);
                    }
                }
            },
            cts.Token)).ToList();

        // Subscribers join while the writers run; one has a tiny buffer and must fall back to snapshots.
        async Task<(Dictionary<string, Item>, int)> FollowAsync(int capacity, int delayMs, int stallMs = 0)
        {
            await Task.Delay(delayMs, cts.Token);
            var view = new Dictionary<string, Item>();
            var snapshots = 0;
            var quiet = 0;
            using var mine = CancellationTokenSource.CreateLinkedTokenSource(cts.Token);
            await using var batches = broadcaster.SubscribeAsync("s", Snapshot, TimeSpan.FromMilliseconds(5), capacity: capacity, cancellationToken: mine.Token).GetAsyncEnumerator(mine.Token);
            var next = batches.MoveNextAsync().AsTask();
            while (true)
            {
                var finished = writers.All(t => t.IsCompleted);
                if (await Task.WhenAny(next, Task.Delay(200, cts.Token)) != next)
                {
                    if (finished && ++quiet >= 2)
                    {
                        await mine.CancelAsync();
                        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => next);
                        return (view, snapshots);
                    }

                    continue;
                }

                Assert.True(await next);
                var batch = batches.Current;
                if (batch.IsSnapshot)
                {
                    snapshots++;
                    view.Clear();
                    if (snapshots > 1)
                    {
                        fellBack.TrySetResult();
                    }
                }

                foreach (var change in batch.Changes)
                {
                    if (change.Kind == ChangeKind.Delete)
                    {
                        view.Remove(change.Key);
                    }
                    else
                    {
                        view[change.Key] = change.Value!;
                    }
                }

                if (stallMs > 0 && !fellBack.Task.IsCompleted)
                {
                    await Task.Delay(stallMs, cts.Token);
                }

                next = batches.MoveNextAsync().AsTask();
            }
        }

        var followers = new[] { FollowAsync(10_000, 0), FollowAsync(10_000, 3), FollowAsync(8, 1, stallMs: 20) };
        await Task.WhenAll(writers);
        var results = await Task.WhenAll(followers);
        await cts.CancelAsync();

        foreach (var (view, _) in results)
        {
            Assert.Equal(state.OrderBy(p => p.Key).Select(p => p.Value), view.OrderBy(p => p.Key).Select(p => p.Value));
        }

        Assert.True(results[2].Item2 > 1, "the subscriber with a buffer of 8 objects fell back to a snapshot");
    }

    [Fact]
    public async Task Resync_SendsEverySubscriberAFreshSnapshot()
    {
        var broadcaster = new LiveBroadcaster<Item>();
        var snapshot = new List<LiveChange<Item>> { Upsert("a", 1) };
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        await using var batches = broadcaster.SubscribeAsync("s", () => [.. snapshot], TimeSpan.FromMilliseconds(5), cancellationToken: cts.Token).GetAsyncEnumerator(cts.Token);
        Assert.True(await batches.MoveNextAsync());
        broadcaster.Publish("s", Upsert("b", 1));
        snapshot = [Upsert("c", 1)];

        broadcaster.Resync("s");

        Assert.True(await batches.MoveNextAsync());
        Assert.True(batches.Current.IsSnapshot);
        Assert.Equal("c", Assert.Single(batches.Current.Changes).Key);
    }

    [Fact]
    public async Task SubscribeToSeveralKeys_WithAFilter_GetsOnlyMatchingChangesOfThoseKeys()
    {
        var broadcaster = new LiveBroadcaster<Item>();
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        await using var batches = broadcaster.SubscribeAsync(["ns1", "ns2"], () => [], TimeSpan.FromMilliseconds(5), c => c.Value?.Version != 0, cancellationToken: cts.Token).GetAsyncEnumerator(cts.Token);
        Assert.True(await batches.MoveNextAsync());
        Assert.Equal(1, broadcaster.SubscriberCount("ns1"));

        broadcaster.Publish("ns3", Upsert("other-key", 1));
        broadcaster.Publish("ns1", Upsert("filtered-out", 0));
        broadcaster.Publish("ns1", Upsert("a", 1));
        broadcaster.Publish("ns2", Upsert("b", 1));

        var keys = new List<string>();
        while (keys.Count < 2)
        {
            Assert.True(await batches.MoveNextAsync());
            keys.AddRange(batches.Current.Changes.Select(c => c.Key));
        }

        Assert.Equal(["a", "b"], keys);
    }

    [Fact]
    public async Task LastSubscriberLeaving_RemovesTheScope()
    {
        var broadcaster = new LiveBroadcaster<Item>();
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var batches = broadcaster.SubscribeAsync("gone", () => [], TimeSpan.FromMilliseconds(5), cancellationToken: cts.Token).GetAsyncEnumerator(cts.Token);
        Assert.True(await batches.MoveNextAsync());
        Assert.Contains("gone", broadcaster.ActiveScopes);

        await batches.DisposeAsync();

        Assert.DoesNotContain("gone", broadcaster.ActiveScopes);
    }
}
