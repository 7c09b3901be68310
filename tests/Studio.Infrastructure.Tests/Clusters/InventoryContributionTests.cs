using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Studio.Infrastructure.InstanceTypes;
using Studio.Infrastructure.Jobs;
using Studio.Infrastructure.Kubernetes.Inventory;
using Studio.Sandbox;

namespace Studio.Infrastructure.Tests.Clusters;

/// <summary>
/// Features add their informers and indexes to a cluster's inventory through contributors; the inventory keeps one
/// informer per (cluster, kind), so the jobs feature's pods are an index on the one pod watch.
/// </summary>
public sealed class InventoryContributionTests : IAsyncLifetime
{
    private SandboxServer _sandbox = null!;
    private IKubernetes _client = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _sandbox = await SandboxServer.StartAsync(new SandboxOptions { Simulate = false }, Ct);
        _client = new k8s.Kubernetes(new KubernetesClientConfiguration { Host = _sandbox.BaseAddress.ToString() });
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await _sandbox.DisposeAsync();
    }

    private ClusterInventory Inventory(params IInventoryContributor[] contributors) =>
        new(Guid.NewGuid(), _client, NullLoggerFactory.Instance, TimeProvider.System, contributors);

    private Task<V1Pod> CreatePodAsync(string name, string? job) => _client.CoreV1.CreateNamespacedPodAsync(
        new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = name, Labels = job is null ? null : new Dictionary<string, string> { [JobManifests.JobLabel] = job } },
            Spec = new V1PodSpec { Containers = [new V1Container { Name = "main", Image = "python:3.12" }] },
        },
        "default",
        cancellationToken: Ct);

    private static async Task WaitForAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Timed out waiting until {what}.");
            await Task.Delay(50, Ct);
        }
    }

    [Fact]
    public async Task JobsAndInstanceTypes_AddTheirInformers_AndJobPodsAreAnIndexOnTheOnePodInformer()
    {
        await CreatePodAsync("listed-job-pod", "train-1");
        await CreatePodAsync("other-pod", null);
        await using var inventory = Inventory(new JobInformers.Contributor(), new InstanceTypeInformer.Contributor());

        inventory.Start();
        await inventory.FirstSync.WaitAsync(TimeSpan.FromSeconds(20), Ct);
        await CreatePodAsync("watched-job-pod", "train-2");
        await WaitForAsync(() => inventory.JobPods.Count == 2, "both job pods are indexed");

        Assert.Equal(["nodes", "pods", "namespaces", "jobs", "instancetypes"], inventory.Informers.Select(i => i.Kind));
        Assert.Equal(["listed-job-pod", "watched-job-pod"], inventory.JobPods.Snapshot().Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.Equal(("train-2", InformerState.Synced), (inventory.JobPods.TryGet("default/watched-job-pod", out var watched) ? watched!.Job : null, inventory.JobPods.Health.State));
        Assert.True(inventory.Pods.TryGet("default/other-pod", out _));

        await _client.CoreV1.DeleteNamespacedPodAsync("listed-job-pod", "default", gracePeriodSeconds: 0, cancellationToken: Ct);
        await WaitForAsync(() => inventory.JobPods.Count == 1, "the deleted job pod leaves the index");
    }

    [Fact]
    public async Task APartNoContributorAdded_IsRefusedNamingTheContributor_AndInformersCannotBeAddedOnceStarted()
    {
        await using var inventory = Inventory();

        var missing = Assert.Throws<InvalidOperationException>(() => inventory.JobPods);
        Assert.Contains(nameof(IInventoryContributor), missing.Message, StringComparison.Ordinal);
        inventory.Start();
        Assert.Throws<InvalidOperationException>(() => new JobInformers.Contributor().Contribute(inventory));
    }
}
