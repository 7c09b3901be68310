using System.Collections.Concurrent;
using Studio.Infrastructure.Live;

namespace Studio.Infrastructure.Tests.Live;

/// <summary>
/// The live module's contract, <see cref="LiveStream{T}"/>: a snapshot, then coalesced batches on one broadcaster, with
/// nothing lost between the two; disposing unsubscribes; a reader that falls behind gets a snapshot instead of a backlog.
/// </summary>
public sealed class LiveStreamTests
{
    private sealed record Item(string Name, int Version);

    private static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    private static LiveChange<Item> Upsert(string name, int version) => new(ChangeKind.Upsert, name, new Item(name, version));

    private static Task<LiveStream<Item>> OpenAsync(LiveBroadcaster<Item> broadcaster, Func<IReadOnlyList<LiveChange<Item>>> snapshot, int capacity = 10_000, Action? ended = null) =>
        LiveStream<Item>.OpenAsync(token => broadcaster.SubscribeAsync(["s"], snapshot, TimeSpan.FromMilliseconds(20), null, capacity, token), ended, Ct);

    private static void Apply(Dictionary<string, Item> state, LiveBatch<Item> batch)
    {
        if (batch.IsSnapshot)
        {
            state.Clear();
        }

        foreach (var change in batch.Changes)
        {
            if (change.Kind == ChangeKind.Delete)
            {
                state.Remove(change.Key);
            }
            else
            {
                state[change.Key] = change.Value!;
            }
        }
    }

    [Fact]
    public async Task Subscribe_WhileAWriterPublishes_SnapshotThenBatchesEndEqualToTheSource()
    {
        var broadcaster = new LiveBroadcaster<Item>();
        var source = new ConcurrentDictionary<string, Item>();
        var writing = true;
        var writer = Task.Run(
            async () =>
            {
                for (var v = 1; Volatile.Read(ref writing) || v < 500; v++)
                {
                    var item = new Item($"o{v % 40}", v);
                    source[item.Name] = item;
                    broadcaster.Publish("s", new LiveChange<Item>(ChangeKind.Upsert, item.Name, item));
                    if (v % 10 == 0)
                    {
                        await Task.Delay(1, Ct);
                    }
                }
            },
            Ct);

        // The stream opens mid-stream: whatever was published between the registration and the snapshot is in one of them.
        await Task.Delay(20, Ct);
        await using var stream = await OpenAsync(broadcaster, () => [.. source.Values.Select(i => new LiveChange<Item>(ChangeKind.Upsert, i.Name, i))]);
        var state = new Dictionary<string, Item>();
        Apply(state, new LiveBatch<Item>(true, stream.Snapshot));
        await Task.Delay(100, Ct);
        Volatile.Write(ref writing, false);
        await writer;

        await using var batches = stream.Batches.GetAsyncEnumerator(Ct);
        while (!state.OrderBy(p => p.Key).Select(p => p.Value).SequenceEqual(source.OrderBy(p => p.Key).Select(p => p.Value)))
        {
            Assert.True(await batches.MoveNextAsync());
            Apply(state, batches.Current);
        }

        Assert.Equal(40, state.Count);
    }

    [Fact]
    public async Task Batches_CoalescePerObject_LatestValueWins()
    {
        var broadcaster = new LiveBroadcaster<Item>();
        await using var stream = await OpenAsync(broadcaster, () => []);
        Assert.Empty(stream.Snapshot);

        for (var v = 1; v <= 50; v++)
        {
            broadcaster.Publish("s", Upsert("a", v));
        }

        await using var batches = stream.Batches.GetAsyncEnumerator(Ct);
        var seen = new List<LiveChange<Item>>();
        while (seen.LastOrDefault()?.Value?.Version != 50)
        {
            Assert.True(await batches.MoveNextAsync());
            Assert.False(batches.Current.IsSnapshot);
            Assert.Single(batches.Current.Changes);
            seen.AddRange(batches.Current.Changes);
        }

        Assert.True(seen.Count < 50, $"{seen.Count} batches for 50 changes of one object: they were not coalesced");
    }

    [Fact]
    public async Task DisposingTheStream_Unsubscribes_EndsItsBatches_AndReleasesWhatItHeldOnce()
    {
        var broadcaster = new LiveBroadcaster<Item>();
        var ended = 0;
        var stream = await OpenAsync(broadcaster, () => [Upsert("a", 1)], ended: () => Interlocked.Increment(ref ended));
        Assert.Equal("a", Assert.Single(stream.Snapshot).Key);
        Assert.Equal(1, broadcaster.SubscriberCount("s"));
        var reading = Task.Run(
            async () =>
            {
                var count = 0;
                await foreach (var _ in stream.Batches)
                {
                    count++;
                }

                return count;
            },
            Ct);
        await Task.Delay(50, Ct);

        await stream.DisposeAsync();
        await stream.DisposeAsync();

        Assert.Equal(0, await reading.WaitAsync(TimeSpan.FromSeconds(10), Ct));
        Assert.Equal(1, ended);
        for (var i = 0; i < 100 && broadcaster.SubscriberCount("s") > 0; i++)
        {
            await Task.Delay(20, Ct);
        }

        Assert.Equal(0, broadcaster.SubscriberCount("s"));
        broadcaster.Publish("s", Upsert("b", 1));
    }

    [Fact]
    public async Task ReaderThatFallsBehind_GetsAFreshSnapshot_NotTheBacklog()
    {
        var broadcaster = new LiveBroadcaster<Item>();
        var source = new Dictionary<string, Item>();
        IReadOnlyList<LiveChange<Item>> Snapshot()
        {
            lock (source)
            {
                return [.. source.Values.Select(i => new LiveChange<Item>(ChangeKind.Upsert, i.Name, i))];
            }
        }

        await using var stream = await OpenAsync(broadcaster, Snapshot, capacity: 5);
        for (var i = 0; i < 30; i++)
        {
            var item = new Item($"o{i}", 1);
            lock (source)
            {
                source[item.Name] = item;
            }

            broadcaster.Publish("s", new LiveChange<Item>(ChangeKind.Upsert, item.Name, item));
        }

        await using var batches = stream.Batches.GetAsyncEnumerator(Ct);
        Assert.True(await batches.MoveNextAsync());
        Assert.True(batches.Current.IsSnapshot);
        Assert.Equal(30, batches.Current.Changes.Count);
    }

    [Fact]
    public async Task Batches_CanBeReadOnce()
    {
        await using var stream = await OpenAsync(new LiveBroadcaster<Item>(), () => []);
        _ = stream.Batches;

        Assert.Throws<InvalidOperationException>(() => stream.Batches);
    }
}
