using System.Text;
using k8s;
using k8s.Models;
using Microsoft.Extensions.DependencyInjection;
using Studio.Domain.Workspaces;
using Studio.Infrastructure.Clusters;
using Studio.Infrastructure.Kubernetes.Inventory;
using Studio.Sandbox;

namespace Studio.Infrastructure.Tests.Clusters;

/// <summary>
/// A cluster whose address or credentials change while pages, hub clients and services hold its inventory: they must
/// keep following the cluster (the same inventory lists the new server), never stay on a stopped watch showing old data.
/// </summary>
public sealed class InventoryReconnectTests(SandboxClusterFixture fixture) : IClassFixture<SandboxClusterFixture>
{
    private static readonly Actor Admin = new("admin", "Admin", WorkspaceRole.Administrator);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private ClusterService Clusters => fixture.Services.GetRequiredService<ClusterService>();

    private InventoryRegistry Inventories => fixture.Services.GetRequiredService<InventoryRegistry>();

    [Fact]
    public async Task RotateCredentials_WhileTheInventoryIsLeased_TheSameInventoryFollowsTheNewServer()
    {
        var registered = await Clusters.RegisterAsync(Admin, new RegisterClusterRequest("moving", null, fixture.Sandbox.CreateKubeconfigYaml(), null), Ct);
        Assert.True(registered.IsSuccess, string.Join("; ", registered.Errors.Select(e => e.Message)));
        using var lease = (await Inventories.AcquireAsync(registered.Value.Id, Ct)).Value;
        await lease.Inventory.FirstSync.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        await using var second = await SandboxServer.StartAsync(new SandboxOptions { Simulate = false }, Ct);
        using var secondClient = Client(second);
        await secondClient.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = "only-on-the-second" } }, cancellationToken: Ct);

        var rotated = await Clusters.RotateCredentialsAsync(Admin, "moving", second.CreateKubeconfigYaml(), null, Ct);

        Assert.True(rotated.IsSuccess, string.Join("; ", rotated.Errors.Select(e => e.Message)));
        await WaitForAsync(() => lease.Inventory.Namespaces.TryGet("only-on-the-second", out _), "the leased inventory lists the new server");
        Assert.Same(lease.Inventory, Inventories.Peek(registered.Value.Id));

        // And it watches there: a change made on the new server after the move arrives through the same lease.
        await secondClient.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = "made-after-the-move" } }, cancellationToken: Ct);
        await WaitForAsync(() => lease.Inventory.Namespaces.TryGet("made-after-the-move", out _), "a change on the new server reaches the leased inventory");
    }

    [Fact]
    public async Task RegisterSandbox_AtANewAddress_MovesTheRunningInventoryAndDropsWhatTheOldServerHad()
    {
        await using var first = await SandboxServer.StartAsync(new SandboxOptions { Simulate = false }, Ct);
        using (var firstClient = Client(first))
        {
            await firstClient.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = "before-the-restart" } }, cancellationToken: Ct);
        }

        var registered = await Clusters.RegisterSandboxAsync("restarting", first.CreateKubeconfigYaml("restarting"), Ct);
        Assert.True(registered.IsSuccess, string.Join("; ", registered.Errors.Select(e => e.Message)));
        using var lease = (await Inventories.AcquireAsync(registered.Value.Id, Ct)).Value;
        await WaitForAsync(() => lease.Inventory.Namespaces.TryGet("before-the-restart", out _), "the first server's namespace is listed");

        // The studio restarts its embedded sandbox: a new, empty server on another port, registered under the same name.
        await using var second = await SandboxServer.StartAsync(new SandboxOptions { Simulate = false }, Ct);
        var moved = await Clusters.RegisterSandboxAsync("restarting", second.CreateKubeconfigYaml("restarting"), Ct);
        await first.DisposeAsync();

        Assert.True(moved.IsSuccess, string.Join("; ", moved.Errors.Select(e => e.Message)));
        await WaitForAsync(() => !lease.Inventory.Namespaces.TryGet("before-the-restart", out _), "the old server's objects are gone from the leased inventory");
        Assert.Equal(InformerState.Synced, lease.Inventory.Namespaces.Health.State);
    }

    private static k8s.Kubernetes Client(SandboxServer server) =>
        new(KubernetesClientConfiguration.BuildConfigFromConfigFile(new MemoryStream(Encoding.UTF8.GetBytes(server.CreateKubeconfigYaml()))));

    private static async Task WaitForAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Timed out waiting until {what}.");
            await Task.Delay(50, Ct);
        }
    }
}
