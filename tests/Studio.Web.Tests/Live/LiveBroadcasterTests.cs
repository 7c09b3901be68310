using Studio.Web.Live;

namespace Studio.Web.Tests.Live;

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
}
