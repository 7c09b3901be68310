using System.Text.Json;
using k8s;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection;
using Studio.Domain.Workspaces;
using Studio.Infrastructure.Clusters;
using Studio.Infrastructure.Kubernetes.Inventory;
using Studio.Infrastructure.Live;
using Studio.Infrastructure.Workspaces;
using Studio.Web.Hubs;
using Studio.Web.Security;
using Studio.Web.Tests.Shared;

namespace Studio.Web.Tests.Live;

/// <summary>
/// The hub's shared pumps against the real studio with its embedded sandbox and real SignalR clients: many subscribers of
/// one scope share one broadcaster subscription and one serialization per protocol, a stalled connection neither delays
/// the others nor grows memory and gets a snapshot once it reads again, and authorization stays per subscribe.
/// </summary>
public sealed class LiveFanOutTests : IAsyncLifetime
{
    private StudioWebFactory _factory = new() { SandboxEnabled = true };

    private static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    private LiveHubSubscriptions Subscriptions => _factory.Services.GetRequiredService<LiveHubSubscriptions>();

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync() => await _factory.DisposeAsync();

    private LiveClient Client(string user, string? roles = StudioRoles.Administrator, bool messagePack = false) => new(_factory.Server, user, roles, messagePack);

    private async Task<string> ClusterKeyAsync() =>
        LiveFeeds.ClusterKey((await _factory.Services.GetRequiredService<ClusterService>().GetAsync("sandbox", Ct)).Value.Id);

    private static string Describe(LiveUpdate update) =>
        JsonSerializer.Serialize(update.Changes.Select(c => new { c.Kind, c.Key, c.Value?.Pod?.Phase, c.Value?.Pod?.NodeName, Ready = c.Value?.Node?.Ready }));

    /// <summary>Reads updates until none arrives for a second (the scope is quiet).</summary>
    private static async Task<List<LiveUpdate>> DrainAsync(LiveClient client)
    {
        var seen = new List<LiveUpdate>();
        while (await client.TryNextAsync(TimeSpan.FromSeconds(1), Ct) is { } update)
        {
            seen.Add(update);
        }

        return seen;
    }

    [Fact]
    public async Task ManySubscribers_OfOneScope_ShareOnePump_OneSerializationPerProtocol_AndReceiveIdenticalBatches()
    {
        var clients = new List<LiveClient>();
        try
        {
            for (var i = 0; i < 6; i++)
            {
                var client = Client($"admin-{i}", messagePack: i % 2 == 1);
                clients.Add(client);
                await client.StartAsync(Ct);
                await client.SubscribeAsync("cluster:sandbox", Ct);
                Assert.True((await client.NextAsync(Ct)).IsSnapshot);
            }

            using var counters = new MeterCounters(_factory.Services, LiveMetrics.MeterName);
            var broadcaster = _factory.Services.GetRequiredService<LiveBroadcaster<LiveObject>>();
            Assert.Equal(6, Subscriptions.Count);
            Assert.Equal(1, Subscriptions.PumpCount);
            Assert.Equal(1, broadcaster.SubscriberCount(await ClusterKeyAsync()));
            foreach (var client in clients)
            {
                await DrainAsync(client);
            }

            var before = counters[LiveHubMetrics.Serializations];
            using var k8s = await SandboxPods.ClientAsync(_factory.Services);
            await k8s.CoreV1.CreateNamespacedPodAsync(SandboxPods.ShortPod("shared-1", "studio-local"), "studio-local", cancellationToken: Ct);
            var key = LiveObject.PodKey("studio-local", "shared-1");
            var received = new List<List<LiveUpdate>>();
            foreach (var client in clients)
            {
                var updates = await client.UntilAsync(u => u.Changes.Any(c => c.Key == key && c.Value?.Pod?.Phase == "Succeeded"), Ct);
                updates.AddRange(await DrainAsync(client));
                received.Add(updates);
            }

            var first = received[0].Select(Describe).ToList();
            Assert.All(received, updates => Assert.Equal(first, updates.Select(Describe).ToList()));
            Assert.All(received.SelectMany(u => u), u => Assert.False(u.IsSnapshot));

            // Six connections on two protocols: each batch was serialized twice (JSON, MessagePack), not six times.
            Assert.Equal(2 * first.Count, counters[LiveHubMetrics.Serializations] - before);
        }
        finally
        {
            foreach (var client in clients)
            {
                await client.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task StalledConnection_DoesNotDelayAnother_FallsBehind_AndGetsASnapshotWhenItReadsAgain()
    {
        await _factory.DisposeAsync();
        _factory = new() { SandboxEnabled = true, Settings = new Dictionary<string, string?> { ["Studio:Live:Hub:MaxBacklog"] = "2" } };
        Assert.Equal(2, Subscriptions.Options.MaxBacklog);
        using var counters = new MeterCounters(_factory.Services, LiveMetrics.MeterName);
        var clusterKey = await ClusterKeyAsync();
        var broadcaster = _factory.Services.GetRequiredService<LiveBroadcaster<LiveObject>>();
        await using var fast = Client("fast");
        await fast.StartAsync(Ct);
        await fast.SubscribeAsync("cluster:sandbox", Ct);
        Assert.True((await fast.NextAsync(Ct)).IsSnapshot);

        // A client that stops reading after its snapshot (see RawLiveConnection).
        await using var stalled = new RawLiveConnection(_factory.Server, "stalled", StudioRoles.Administrator);
        await stalled.StartAsync(Ct);
        await stalled.SubscribeAsync("cluster:sandbox", Ct);
        Assert.True((await stalled.NextUpdateAsync(Ct)).GetProperty("isSnapshot").GetBoolean());

        // Big batches (100 objects of ~2 KB each) until the stalled connection's write cannot complete; the fast client
        // receives every one of them meanwhile.
        var padding = new string('x', 2000);
        var batches = 0;
        while (counters[LiveHubMetrics.FellBehind] == 0)
        {
            Assert.True(batches < 200, "the stalled connection never fell behind");
            for (var i = 0; i < 100; i++)
            {
                var pod = new PodInfo("bench", $"big-{batches}-{i}", padding, "Pending", default, null);
                broadcaster.Publish(clusterKey, new LiveChange<LiveObject>(ChangeKind.Upsert, LiveObject.PodKey("bench", pod.Name), new LiveObject(Pod: pod)));
            }

            var last = LiveObject.PodKey("bench", $"big-{batches}-99");
            await fast.UntilAsync(u => u.Changes.Any(c => c.Key == last), Ct);
            batches++;
        }

        Assert.Equal(0, counters[LiveHubMetrics.CatchUps]);
        var marker = new PodInfo("bench", "after-stall", null, "Running", default, null);
        broadcaster.Publish(clusterKey, new LiveChange<LiveObject>(ChangeKind.Upsert, LiveObject.PodKey("bench", "after-stall"), new LiveObject(Pod: marker)));
        await fast.UntilAsync(u => u.Changes.Any(c => c.Key == LiveObject.PodKey("bench", "after-stall")), Ct);

        // Reading again: what was already buffered, then a fresh snapshot instead of the skipped batches.
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        wait.CancelAfter(TimeSpan.FromSeconds(30));
        var read = 0;
        JsonElement update;
        do
        {
            update = await stalled.NextUpdateAsync(wait.Token);
            read++;
        }
        while (!update.GetProperty("isSnapshot").GetBoolean());

        Assert.Equal(1, counters[LiveHubMetrics.CatchUps]);
        Assert.True(read <= batches, $"read {read} updates for {batches} batches: the skipped ones were not queued");
        Assert.Contains(update.GetProperty("changes").EnumerateArray(), c => c.GetProperty("value").GetProperty("node").ValueKind == JsonValueKind.Object);

        // And it is live again: a later change arrives as a batch after that snapshot.
        var later = new PodInfo("bench", "after-catch-up", null, "Running", default, null);
        broadcaster.Publish(clusterKey, new LiveChange<LiveObject>(ChangeKind.Upsert, LiveObject.PodKey("bench", "after-catch-up"), new LiveObject(Pod: later)));
        do
        {
            update = await stalled.NextUpdateAsync(wait.Token);
        }
        while (!update.GetProperty("changes").EnumerateArray().Any(c => c.GetProperty("key").GetString() == LiveObject.PodKey("bench", "after-catch-up")));

        Assert.False(update.GetProperty("isSnapshot").GetBoolean());
    }

    [Fact]
    public async Task Unsubscribe_OfOneSubscriber_DoesNotStopTheOthers_AndTheLastOneClosesThePump()
    {
        await using var leaving = Client("leaving");
        await using var staying = Client("staying", messagePack: true);
        foreach (var client in new[] { leaving, staying })
        {
            await client.StartAsync(Ct);
            await client.SubscribeAsync("cluster:sandbox", Ct);
            Assert.True((await client.NextAsync(Ct)).IsSnapshot);
        }

        await leaving.UnsubscribeAsync("cluster:sandbox", Ct);
        Assert.Equal((1, 1), (Subscriptions.Count, Subscriptions.PumpCount));

        using var k8s = await SandboxPods.ClientAsync(_factory.Services);
        await k8s.CoreV1.CreateNamespacedPodAsync(SandboxPods.ShortPod("still-watched", "studio-local"), "studio-local", cancellationToken: Ct);
        var key = LiveObject.PodKey("studio-local", "still-watched");
        await staying.UntilAsync(u => u.Changes.Any(c => c.Key == key && c.Value?.Pod?.Phase == "Succeeded"), Ct);
        Assert.Null(await leaving.TryNextAsync(TimeSpan.FromMilliseconds(500), Ct));

        await staying.UnsubscribeAsync("cluster:sandbox", Ct);
        Assert.Equal((0, 0), (Subscriptions.Count, Subscriptions.PumpCount));
        var broadcaster = _factory.Services.GetRequiredService<LiveBroadcaster<LiveObject>>();
        var clusterKey = await ClusterKeyAsync();
        while (broadcaster.SubscriberCount(clusterKey) > 0)
        {
            await Task.Delay(20, Ct);
        }
    }

    [Fact]
    public async Task Subscribe_ToAScopeWithARunningPump_IsStillAuthorizedPerSubscriber()
    {
        await using var admin = Client("ada");
        await admin.StartAsync(Ct);
        await admin.SubscribeAsync("workspace:default", Ct);
        Assert.True((await admin.NextAsync(Ct)).IsSnapshot);

        await using var outsider = Client("bob", roles: null);
        await outsider.StartAsync(Ct);
        var error = await Assert.ThrowsAsync<HubException>(() => outsider.SubscribeAsync("workspace:default", Ct));

        Assert.Contains("Workspace 'default' was not found.", error.Message, StringComparison.Ordinal);
        Assert.Equal((1, 1), (Subscriptions.Count, Subscriptions.PumpCount));
        using var k8s = await SandboxPods.ClientAsync(_factory.Services);
        await k8s.CoreV1.CreateNamespacedPodAsync(SandboxPods.ShortPod("members-only", "studio-local"), "studio-local", cancellationToken: Ct);
        var key = LiveObject.PodKey("studio-local", "members-only");
        await admin.UntilAsync(u => u.Changes.Any(c => c.Key == key && c.Value?.Pod?.Phase == "Succeeded"), Ct);
        Assert.Null(await outsider.TryNextAsync(TimeSpan.FromMilliseconds(300), Ct));

        // A member joining the running pump is admitted and starts from the same snapshot-then-batches stream.
        var admin2 = new Actor("admin", "Admin", WorkspaceRole.Administrator);
        Assert.True((await _factory.Services.GetRequiredService<WorkspaceService>().SetMemberAsync(admin2, "default", "carol", "carol", WorkspaceRole.Reader, Ct)).IsSuccess);
        await using var member = Client("carol", roles: null);
        await member.StartAsync(Ct);
        await member.SubscribeAsync("workspace:default", Ct);
        var snapshot = await member.NextAsync(Ct);
        Assert.True(snapshot.IsSnapshot);
        Assert.Contains(snapshot.Changes, c => c.Key == key);
        Assert.Equal((2, 1), (Subscriptions.Count, Subscriptions.PumpCount));
    }
}
