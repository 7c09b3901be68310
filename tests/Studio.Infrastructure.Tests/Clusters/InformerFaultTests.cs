using System.Text;
using k8s;
using k8s.Models;
using Microsoft.Extensions.DependencyInjection;
using Studio.Domain.Workspaces;
using Studio.Infrastructure.Clusters;
using Studio.Infrastructure.Kubernetes.Inventory;
using Studio.Sandbox;

namespace Studio.Infrastructure.Tests.Clusters;

/// <summary>Watch faults injected by a real (sandbox) API server: the inventory converges to the server's state, no change lost.</summary>
public sealed class InformerFaultTests : IAsyncLifetime
{
    private SandboxServer _sandbox = null!;
    private ServiceProvider _services = null!;
    private InventoryLease _lease = null!;
    private k8s.Kubernetes _client = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _sandbox = await SandboxServer.StartAsync(new SandboxOptions { Port = 0 }, Ct);
        _services = SandboxClusterFixture.CreateServices();
        await _services.GetRequiredService<Studio.Infrastructure.Persistence.DatabaseMigrator>().MigrateAsync(Ct);
        var cluster = await _services.GetRequiredService<ClusterService>().RegisterAsync(
            new Actor("admin", "Admin", WorkspaceRole.Administrator), new RegisterClusterRequest("faulty", null, _sandbox.CreateKubeconfigYaml(), null), Ct);
        _lease = (await _services.GetRequiredService<InventoryRegistry>().AcquireAsync(cluster.Value.Id, Ct)).Value;
        await _lease.Inventory.FirstSync.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        _client = new k8s.Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(new MemoryStream(Encoding.UTF8.GetBytes(_sandbox.CreateKubeconfigYaml()))));
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        _lease.Dispose();
        await _services.DisposeAsync();
        await _sandbox.DisposeAsync();
    }

    private Task CreatePodAsync(string name) => _client.CoreV1.CreateNamespacedPodAsync(
        new V1Pod { Metadata = new V1ObjectMeta { Name = name }, Spec = new V1PodSpec { Containers = [new V1Container { Name = "c", Image = "busybox" }] } }, "default", cancellationToken: Ct);

    private async Task ConvergesAsync(params string[] expectedPods)
    {
        for (var i = 0; i < 300; i++)
        {
            var names = _lease.Inventory.Pods.Snapshot().Select(p => p.Name).Order().ToArray();
            if (names.SequenceEqual(expectedPods.Order()) && _lease.Inventory.Health.State == InformerState.Synced)
            {
                return;
            }

            await Task.Delay(50, Ct);
        }

        Assert.Equal(expectedPods.Order(), _lease.Inventory.Pods.Snapshot().Select(p => p.Name).Order());
    }

    [Fact]
    public async Task DroppedWatches_AreResumed_AndChangesMadeMeanwhileArrive()
    {
        await CreatePodAsync("before");
        await ConvergesAsync("before");

        _sandbox.DropWatches();
        await CreatePodAsync("during");
        await _client.CoreV1.DeleteNamespacedPodAsync("before", "default", cancellationToken: Ct);

        await ConvergesAsync("during");
    }

    [Fact]
    public async Task ExpiredHistory_Gives410_AndRelistConverges()
    {
        await CreatePodAsync("one");
        await ConvergesAsync("one");

        _sandbox.ExpireWatchHistory();
        _sandbox.DropWatches();
        await CreatePodAsync("two");
        await _client.CoreV1.DeleteNamespacedPodAsync("one", "default", cancellationToken: Ct);

        await ConvergesAsync("two");
    }

    [Fact]
    public async Task ServerErrorsOnRelist_DegradeThenRecover()
    {
        await CreatePodAsync("kept");
        await ConvergesAsync("kept");

        _sandbox.FailNextRequests(500, count: 6, resource: "pods", method: "GET");
        _sandbox.ExpireWatchHistory();
        _sandbox.DropWatches();
        await CreatePodAsync("later");

        await ConvergesAsync("kept", "later");
    }
}
