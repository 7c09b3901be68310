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

/// <summary>The hub's scopes against the real studio with its embedded sandbox: authorization, snapshots, changes in order.</summary>
public sealed class LiveScopeHubTests : IAsyncLifetime
{
    private StudioWebFactory _factory = new() { SandboxEnabled = true };

    private static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync() => await _factory.DisposeAsync();

    private LiveClient Client(string user, string? roles = null, bool messagePack = false) => new(_factory.Server, user, roles, messagePack);

    private async Task AddMemberAsync(string workspace, string user, WorkspaceRole role)
    {
        var admin = new Actor("admin", "Admin", WorkspaceRole.Administrator);
        var added = await _factory.Services.GetRequiredService<WorkspaceService>().SetMemberAsync(admin, workspace, user, user, role, Ct);
        Assert.True(added.IsSuccess, string.Join("; ", added.Errors.Select(e => e.Message)));
    }

    private async Task<Guid> SandboxIdAsync() => (await _factory.Services.GetRequiredService<ClusterService>().GetAsync("sandbox", Ct)).Value.Id;

    [Fact]
    public async Task Subscribe_ClusterScope_SendsNodesAndPodsSnapshot_ThenAPodsPhasesInOrder()
    {
        await using var client = Client("ada", StudioRoles.Administrator);
        await client.StartAsync(Ct);
        await client.SubscribeAsync("cluster:sandbox", Ct);

        var snapshot = await client.NextAsync(Ct);
        Assert.True(snapshot.IsSnapshot);
        Assert.Equal("cluster:sandbox", snapshot.Scope);
        Assert.Equal(7, snapshot.Changes.Count(c => c.Value?.Node is not null));

        using var k8s = await SandboxPods.ClientAsync(_factory.Services);
        await k8s.CoreV1.CreateNamespacedPodAsync(SandboxPods.ShortPod("ordered", "studio-local", seconds: 2), "studio-local", cancellationToken: Ct);

        var key = LiveObject.PodKey("studio-local", "ordered");
        var updates = await client.UntilAsync(u => u.Changes.Any(c => c.Key == key && c.Value?.Pod?.Phase == "Succeeded"), Ct);

        Assert.All(updates, u => Assert.False(u.IsSnapshot));
        var phases = updates.SelectMany(u => u.Changes).Where(c => c.Key == key).Select(c => c.Value!.Pod!.Phase).ToList();
        Assert.All(updates, u => Assert.True(u.Changes.Count(c => c.Key == key) <= 1, "a batch carries one change per object"));
        var lifecycle = new[] { "Pending", "Running", "Succeeded" };
        var positions = phases.Select(p => Array.IndexOf(lifecycle, p)).ToList();
        Assert.DoesNotContain(-1, positions);
        Assert.Equal(positions.OrderBy(p => p), positions);
        Assert.Equal("Succeeded", phases[^1]);
    }

    [Fact]
    public async Task Subscribe_WorkspaceScope_MemberGetsOnlyItsNamespacesPods()
    {
        await AddMemberAsync("default", "alice", WorkspaceRole.Reader);
        await using var client = Client("alice");
        await client.StartAsync(Ct);
        await client.SubscribeAsync("workspace:default", Ct);
        var snapshot = await client.NextAsync(Ct);
        Assert.True(snapshot.IsSnapshot);
        Assert.All(snapshot.Changes, c => Assert.Equal("studio-local", c.Value?.Pod?.Namespace));

        using var k8s = await SandboxPods.ClientAsync(_factory.Services);
        await SandboxPods.EnsureNamespaceAsync(k8s, "team-b", Ct);
        await k8s.CoreV1.CreateNamespacedPodAsync(SandboxPods.ShortPod("secret-b", "team-b"), "team-b", cancellationToken: Ct);
        await k8s.CoreV1.CreateNamespacedPodAsync(SandboxPods.ShortPod("visible-a", "studio-local"), "studio-local", cancellationToken: Ct);

        var mine = LiveObject.PodKey("studio-local", "visible-a");
        var updates = await client.UntilAsync(u => u.Changes.Any(c => c.Key == mine && c.Value?.Pod?.Phase == "Succeeded"), Ct);

        Assert.All(updates.SelectMany(u => u.Changes), c => Assert.Equal("studio-local", c.Value?.Pod?.Namespace));
    }

    [Fact]
    public async Task Subscribe_AnotherWorkspace_IsRefusedAsNotFound_AndTheClusterToo()
    {
        await using var client = Client("bob");
        await client.StartAsync(Ct);

        var workspace = await Assert.ThrowsAsync<HubException>(() => client.SubscribeAsync("workspace:default", Ct));
        var job = await Assert.ThrowsAsync<HubException>(() => client.SubscribeAsync("job:default/train-1", Ct));
        var cluster = await Assert.ThrowsAsync<HubException>(() => client.SubscribeAsync("cluster:sandbox", Ct));

        Assert.Contains("Workspace 'default' was not found.", workspace.Message, StringComparison.Ordinal);
        Assert.Contains("Workspace 'default' was not found.", job.Message, StringComparison.Ordinal);
        Assert.Contains("Cluster 'sandbox' is not registered.", cluster.Message, StringComparison.Ordinal);
        Assert.Equal(0, _factory.Services.GetRequiredService<LiveHubSubscriptions>().Count);
        Assert.Null(await client.TryNextAsync(TimeSpan.FromMilliseconds(300), Ct));
    }

    [Fact]
    public async Task Subscribe_ClusterScope_AsMemberOfAWorkspaceWithComputeOnIt_GetsEveryNodeButOnlyItsOwnNamespacesPods()
    {
        using var k8s = await SandboxPods.ClientAsync(_factory.Services);
        await SandboxPods.EnsureNamespaceAsync(k8s, "team-b", Ct);
        await k8s.CoreV1.CreateNamespacedPodAsync(SandboxPods.ShortPod("before-b", "team-b", seconds: 600), "team-b", cancellationToken: Ct);
        await AddMemberAsync("default", "carol", WorkspaceRole.DataScientist);
        await using var client = Client("carol");
        await client.StartAsync(Ct);

        await client.SubscribeAsync("cluster:sandbox", Ct);
        var snapshot = await client.NextAsync(Ct);
        await k8s.CoreV1.CreateNamespacedPodAsync(SandboxPods.ShortPod("secret-b", "team-b"), "team-b", cancellationToken: Ct);
        await k8s.CoreV1.CreateNamespacedPodAsync(SandboxPods.ShortPod("visible-a", "studio-local"), "studio-local", cancellationToken: Ct);
        var mine = LiveObject.PodKey("studio-local", "visible-a");
        var updates = await client.UntilAsync(u => u.Changes.Any(c => c.Key == mine && c.Value?.Pod?.Phase == "Succeeded"), Ct);

        Assert.True(snapshot.IsSnapshot);
        Assert.Equal(7, snapshot.Changes.Count(c => c.Value?.Node is not null));
        var pods = snapshot.Changes.Concat(updates.SelectMany(u => u.Changes)).Where(c => c.Key.StartsWith("pod/", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(pods);
        Assert.All(pods, c => Assert.Equal("studio-local", c.Value?.Pod?.Namespace));
    }

    [Fact]
    public async Task Subscribe_ClusterScope_AsAdministrator_GetsPodsOfEveryNamespace_WhileAMemberOnTheSameClusterDoesNot()
    {
        using var k8s = await SandboxPods.ClientAsync(_factory.Services);
        await SandboxPods.EnsureNamespaceAsync(k8s, "team-b", Ct);
        await AddMemberAsync("default", "carol", WorkspaceRole.Reader);
        await using var admin = Client("ada", StudioRoles.Administrator);
        await using var member = Client("carol");
        await admin.StartAsync(Ct);
        await member.StartAsync(Ct);
        await admin.SubscribeAsync("cluster:sandbox", Ct);
        await member.SubscribeAsync("cluster:sandbox", Ct);
        Assert.True((await admin.NextAsync(Ct)).IsSnapshot);
        Assert.True((await member.NextAsync(Ct)).IsSnapshot);

        await k8s.CoreV1.CreateNamespacedPodAsync(SandboxPods.ShortPod("shared-b", "team-b"), "team-b", cancellationToken: Ct);
        await k8s.CoreV1.CreateNamespacedPodAsync(SandboxPods.ShortPod("shared-a", "studio-local"), "studio-local", cancellationToken: Ct);
        var b = LiveObject.PodKey("team-b", "shared-b");
        var a = LiveObject.PodKey("studio-local", "shared-a");
        await admin.UntilAsync(u => u.Changes.Any(c => c.Key == b && c.Value?.Pod?.Phase == "Succeeded"), Ct);
        var memberSaw = await member.UntilAsync(u => u.Changes.Any(c => c.Key == a && c.Value?.Pod?.Phase == "Succeeded"), Ct);

        Assert.DoesNotContain(memberSaw.SelectMany(u => u.Changes), c => c.Key == b);
        Assert.Equal(2, _factory.Services.GetRequiredService<LiveHubSubscriptions>().PumpCount);
    }

    [Theory]
    [InlineData("sandbox")]
    [InlineData("pods:default")]
    [InlineData("job:default")]
    [InlineData("cluster:a/b")]
    public async Task Subscribe_MalformedScope_SaysWhichFormsExist(string scope)
    {
        await using var client = Client("ada", StudioRoles.Administrator);
        await client.StartAsync(Ct);

        var error = await Assert.ThrowsAsync<HubException>(() => client.SubscribeAsync(scope, Ct));

        Assert.Contains($"Scope '{scope}' is not valid. Use cluster:<cluster>, workspace:<workspace>", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reconnect_AndSubscribeAgain_StartsWithAFreshSnapshot_WithWhatChangedMeanwhile()
    {
        await using (var first = Client("ada", StudioRoles.Administrator))
        {
            await first.StartAsync(Ct);
            await first.SubscribeAsync("cluster:sandbox", Ct);
            var before = await first.NextAsync(Ct);
            Assert.DoesNotContain(before.Changes, c => c.Key == LiveObject.PodKey("studio-local", "while-away"));
        }

        using var k8s = await SandboxPods.ClientAsync(_factory.Services);
        await k8s.CoreV1.CreateNamespacedPodAsync(SandboxPods.ShortPod("while-away", "studio-local", seconds: 600), "studio-local", cancellationToken: Ct);
        var subscriptions = _factory.Services.GetRequiredService<LiveHubSubscriptions>();
        var inventory = _factory.Services.GetRequiredService<InventoryRegistry>().Peek(await SandboxIdAsync())!;
        while (subscriptions.Count > 0 || !inventory.Pods.TryGet("studio-local/while-away", out _))
        {
            await Task.Delay(50, Ct);
        }

        await using var second = Client("ada", StudioRoles.Administrator);
        await second.StartAsync(Ct);
        await second.SubscribeAsync("cluster:sandbox", Ct);
        var after = await second.NextAsync(Ct);

        Assert.True(after.IsSnapshot);
        Assert.Contains(after.Changes, c => c.Key == LiveObject.PodKey("studio-local", "while-away"));
    }

    [Fact]
    public async Task SubscribeAgain_OnTheSameConnection_SendsAFreshSnapshot_AndUnsubscribeStopsUpdates()
    {
        await using var client = Client("ada", StudioRoles.Administrator, messagePack: true);
        await client.StartAsync(Ct);
        await client.SubscribeAsync("cluster:sandbox", Ct);
        var first = await client.NextAsync(Ct);
        Assert.True(first.IsSnapshot);
        Assert.Equal(7, first.Changes.Count(c => c.Value?.Node is { Allocatable.CpuMillis: > 0 }));

        await client.SubscribeAsync("cluster:sandbox", Ct);
        var again = await client.UntilAsync(u => u.IsSnapshot, Ct);
        Assert.Equal(7, again[^1].Changes.Count(c => c.Value?.Node is not null));
        var subscriptions = _factory.Services.GetRequiredService<LiveHubSubscriptions>();
        Assert.Equal(1, subscriptions.Count);

        await client.UnsubscribeAsync("cluster:sandbox", Ct);
        Assert.Equal(0, subscriptions.Count);
        using var k8s = await SandboxPods.ClientAsync(_factory.Services);
        await k8s.CoreV1.CreateNamespacedPodAsync(SandboxPods.ShortPod("after-unsubscribe", "studio-local"), "studio-local", cancellationToken: Ct);
        Assert.Null(await client.TryNextAsync(TimeSpan.FromSeconds(1), Ct));
    }

    [Fact]
    public async Task Subscribe_JobScope_GetsOnlyThatJobsPods()
    {
        await AddMemberAsync("default", "dan", WorkspaceRole.Reader);
        await using var client = Client("dan");
        await client.StartAsync(Ct);
        await client.SubscribeAsync("job:default/train-7", Ct);
        Assert.True((await client.NextAsync(Ct)).IsSnapshot);

        using var k8s = await SandboxPods.ClientAsync(_factory.Services);
        await k8s.CoreV1.CreateNamespacedPodAsync(SandboxPods.ShortPod("other-0", "studio-local", labels: new Dictionary<string, string> { ["batch.kubernetes.io/job-name"] = "other" }), "studio-local", cancellationToken: Ct);
        await k8s.CoreV1.CreateNamespacedPodAsync(SandboxPods.ShortPod("train-7-0", "studio-local", labels: new Dictionary<string, string> { ["batch.kubernetes.io/job-name"] = "train-7" }), "studio-local", cancellationToken: Ct);

        var updates = await client.UntilAsync(u => u.Changes.Any(c => c.Value?.Pod?.Phase == "Succeeded"), Ct);

        Assert.All(updates.SelectMany(u => u.Changes), c => Assert.Equal("train-7", c.Value?.Pod?.JobName));
    }

    [Fact]
    public async Task WorkspaceScope_CarriesASubmittedJobsStatesInOrder_AndItsPods_AndTheJobScopeSnapshotHasTheRecord()
    {
        await using var client = Client("ada", StudioRoles.Administrator);
        await client.StartAsync(Ct);
        await client.SubscribeAsync("workspace:default", Ct);
        Assert.True((await client.NextAsync(Ct)).IsSnapshot);

        var admin = new Actor("ada", "Ada", WorkspaceRole.Administrator);
        var spec = new Studio.Domain.Jobs.JobSpec { Compute = "local-sandbox", Command = "sleep 2", Image = "mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu22.04:20240101" };
        var submitted = await _factory.Services.GetRequiredService<Studio.Infrastructure.Jobs.JobSubmissionService>().SubmitAsync(admin, "default", spec, Ct);
        Assert.True(submitted.IsSuccess, string.Join("; ", submitted.Errors.Select(e => e.Message)));
        var name = submitted.Value.Name;
        var key = LiveObject.JobKey("default", name);

        var updates = await client.UntilAsync(u => u.Changes.Any(c => c.Key == key && c.Value?.Job?.State == "Completed"), Ct, TimeSpan.FromSeconds(60));

        var states = updates.SelectMany(u => u.Changes).Where(c => c.Key == key).Select(c => c.Value!.Job!.State).ToList();
        var order = Enum.GetNames<Studio.Domain.Jobs.JobState>();
        Assert.Equal(states.OrderBy(s => Array.IndexOf(order, s)), states);
        // The pods carry the Kubernetes name of the job's objects: its name plus its workspace's suffix.
        string objectName;
        await using (var db = await _factory.Services.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<Studio.Infrastructure.Persistence.StudioDbContext>>().CreateDbContextAsync(Ct))
        {
            objectName = db.Jobs.Where(j => j.Name == name).Select(j => j.KubernetesName).Single();
        }

        Assert.StartsWith(name + "-", objectName, StringComparison.Ordinal);
        Assert.Contains(updates.SelectMany(u => u.Changes), c => c.Value?.Pod?.JobName == objectName);

        await client.SubscribeAsync($"job:default/{name}", Ct);
        var snapshot = await client.UntilAsync(u => u.IsSnapshot && u.Scope == $"job:default/{name}", Ct);
        var job = Assert.Single(snapshot[^1].Changes, c => c.Value?.Job is not null).Value!.Job!;
        Assert.Equal(("Completed", "local-sandbox"), (job.State, job.ComputeTarget));
        Assert.Contains(snapshot[^1].Changes, c => c.Value?.Pod?.JobName == objectName);
    }

    [Fact]
    public async Task RemovedMember_StopsReceiving_WhenAccessIsCheckedAgain()
    {
        await _factory.DisposeAsync();
        _factory = new() { SandboxEnabled = true, Settings = new Dictionary<string, string?> { ["Studio:Live:Hub:RecheckInterval"] = "00:00:00.300" } };
        var subscriptions = _factory.Services.GetRequiredService<LiveHubSubscriptions>();
        Assert.Equal(TimeSpan.FromMilliseconds(300), subscriptions.Options.RecheckInterval);
        await AddMemberAsync("default", "erin", WorkspaceRole.Reader);
        await using var client = Client("erin");
        await client.StartAsync(Ct);
        await client.SubscribeAsync("workspace:default", Ct);
        Assert.True((await client.NextAsync(Ct)).IsSnapshot);

        var removed = await _factory.Services.GetRequiredService<WorkspaceService>().RemoveMemberAsync(new Actor("admin", "Admin", WorkspaceRole.Administrator), "default", "erin", Ct);
        Assert.True(removed.IsSuccess);

        using var wait = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        wait.CancelAfter(TimeSpan.FromSeconds(10));
        var (scope, reason) = await client.Ended.Reader.ReadAsync(wait.Token);
        Assert.Equal("workspace:default", scope);
        Assert.Contains("Workspace 'default' was not found.", reason, StringComparison.Ordinal);
        Assert.Equal(0, subscriptions.Count);

        using var k8s = await SandboxPods.ClientAsync(_factory.Services);
        await k8s.CoreV1.CreateNamespacedPodAsync(SandboxPods.ShortPod("after-removal", "studio-local"), "studio-local", cancellationToken: Ct);
        Assert.Null(await client.TryNextAsync(TimeSpan.FromSeconds(1), Ct));
    }

    [Fact]
    public async Task Subscribe_EndpointScope_GetsOnlyThatEndpointsPods()
    {
        await using var client = Client("ada", StudioRoles.Administrator);
        await client.StartAsync(Ct);
        await client.SubscribeAsync("endpoint:default/score", Ct);
        Assert.True((await client.NextAsync(Ct)).IsSnapshot);

        using var k8s = await SandboxPods.ClientAsync(_factory.Services);
        await k8s.CoreV1.CreateNamespacedPodAsync(SandboxPods.ShortPod("other-endpoint", "studio-local", labels: new Dictionary<string, string> { ["studio.io/endpoint"] = "other" }), "studio-local", cancellationToken: Ct);
        await k8s.CoreV1.CreateNamespacedPodAsync(SandboxPods.ShortPod("score-0", "studio-local", labels: new Dictionary<string, string> { ["studio.io/endpoint"] = "score" }), "studio-local", cancellationToken: Ct);

        var updates = await client.UntilAsync(u => u.Changes.Any(c => c.Value?.Pod?.Phase == "Succeeded"), Ct);

        Assert.All(updates.SelectMany(u => u.Changes), c => Assert.Equal("score", c.Value?.Pod?.EndpointName));
    }
}
