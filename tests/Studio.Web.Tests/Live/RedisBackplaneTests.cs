using Microsoft.Extensions.DependencyInjection;
using Studio.Infrastructure.Live;
using Studio.Web.Hubs;
using Studio.Web.Security;
using Studio.Web.Tests.Shared;

namespace Studio.Web.Tests.Live;

/// <summary>Two studio replicas sharing a real Redis: a hub client on one receives what the other publishes.</summary>
public sealed class RedisBackplaneTests(RedisServer redis) : IClassFixture<RedisServer>
{
    private static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    private StudioWebFactory Replica() => new() { Settings = new Dictionary<string, string?> { ["Studio:SignalR:Redis"] = redis.Configuration } };

    private static LiveChange<LiveObject> JobChange(string name, string state) =>
        new(ChangeKind.Upsert, LiveObject.JobKey("default", name), new LiveObject(Job: new LiveJob("default", name, "local-sandbox", state, DateTimeOffset.UtcNow, null, null, null)));

    [Fact]
    public async Task ClientOnReplicaA_ReceivesAJobChangePublishedOnReplicaB()
    {
        await using var a = Replica();
        await using var b = Replica();
        await using var client = new LiveClient(a.Server, "ada", StudioRoles.Administrator);
        await client.StartAsync(Ct);
        await client.SubscribeAsync("workspace:default", Ct);
        Assert.True((await client.NextAsync(Ct)).IsSnapshot);

        await b.Services.GetRequiredService<LiveHubPublisher>().PublishAsync(LiveScope.Workspace("default"), [JobChange("train-1", "Running")], Ct);

        var update = await client.NextAsync(Ct);
        Assert.Equal("workspace:default", update.Scope);
        Assert.False(update.IsSnapshot);
        var job = Assert.Single(update.Changes).Value!.Job!;
        Assert.Equal(("train-1", "Running"), (job.Name, job.State));
    }

    [Fact]
    public async Task ClientOnReplicaA_DoesNotReceiveAnotherScopesMessage_FromReplicaB()
    {
        await using var a = Replica();
        await using var b = Replica();
        await using var client = new LiveClient(a.Server, "ada", StudioRoles.Administrator);
        await client.StartAsync(Ct);
        await client.SubscribeAsync("job:default/mine", Ct);
        Assert.True((await client.NextAsync(Ct)).IsSnapshot);

        var publisher = b.Services.GetRequiredService<LiveHubPublisher>();
        await publisher.PublishAsync(LiveScope.Job("default", "theirs"), [JobChange("theirs", "Failed")], Ct);
        await publisher.PublishAsync(LiveScope.Job("default", "mine"), [JobChange("mine", "Queued")], Ct);

        var update = await client.NextAsync(Ct);
        Assert.Equal("job:default/mine", update.Scope);
        Assert.Equal("mine", Assert.Single(update.Changes).Value!.Job!.Name);
    }
}
