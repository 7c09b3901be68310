using System.Text;
using Bunit;
using k8s;
using k8s.Models;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Studio.Domain;
using Studio.Domain.Clusters;
using Studio.Infrastructure.Clusters;
using Studio.Infrastructure.Kubernetes.Inventory;
using Studio.Infrastructure.Live;
using Studio.Infrastructure.Persistence;
using Studio.Sandbox;
using Studio.Web.Components.Pages;
using Studio.Web.Model;
using Studio.Web.Security;
using Studio.Web.Tests.Shared;

namespace Studio.Web.Tests.Live;

/// <summary>
/// The shared per-cluster live view: computed once per batch for every circuit, from the inventory's per-node pod
/// indexes (phases, GPU pods) rather than a pass over every pod; the pages read it.
/// </summary>
public sealed class LiveClusterViewsTests : StudioTestContext
{
    // The overview also says which jobs need attention.
    public LiveClusterViewsTests() => Services.AddStudioJobs(new ConfigurationBuilder().Build());

    private static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    /// <summary>Reads a stream of shared views on a background loop, keeping every view it received.</summary>
    private sealed class Follower : IAsyncDisposable
    {
        private readonly List<LiveClusterView> _received = [];
        private readonly Task _reading;

        private Follower(LiveStream<LiveClusterView> stream)
        {
            Stream = stream;
            Initial = stream.Snapshot.Single().Value!;
            _reading = Task.Run(async () =>
            {
                await foreach (var batch in stream.Batches)
                {
                    lock (_received)
                    {
                        _received.AddRange(batch.Changes.Select(c => c.Value!));
                    }
                }
            });
        }

        public LiveStream<LiveClusterView> Stream { get; }

        public LiveClusterView Initial { get; }

        public LiveClusterView? Latest
        {
            get
            {
                lock (_received)
                {
                    return _received.LastOrDefault();
                }
            }
        }

        public IReadOnlyList<LiveClusterView> Received
        {
            get
            {
                lock (_received)
                {
                    return [.. _received];
                }
            }
        }

        public static async Task<Follower> StartAsync(LiveClusterViews views, ClusterInventory inventory) => new(await views.SubscribeAsync(inventory, Ct));

        public async ValueTask DisposeAsync()
        {
            await Stream.DisposeAsync();
            await _reading;
        }
    }

    /// <summary>A sandbox without simulation (pods change only when the test says) with three running pods and one unscheduled.</summary>
    private async Task<(SandboxServer Sandbox, Kubernetes Client, ClusterSummary Cluster, string GpuNode)> SandboxAsync()
    {
        var sandbox = await SandboxServer.StartAsync(new SandboxOptions { Port = 0, Simulate = false }, Ct);
        var client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(new MemoryStream(Encoding.UTF8.GetBytes(sandbox.CreateKubeconfigYaml()))));
        var nodes = (await client.CoreV1.ListNodeAsync(cancellationToken: Ct)).Items;
        var cpuNode = nodes.First(n => !n.Status.Allocatable.ContainsKey("nvidia.com/gpu")).Metadata.Name;
        var gpuNode = nodes.First(n => n.Status.Allocatable.TryGetValue("nvidia.com/gpu", out var q) && q.ToString() != "0").Metadata.Name;
        await SandboxPods.EnsureNamespaceAsync(client, "team", Ct);
        await RunningPodAsync(client, "cpu-0", cpuNode, 0);
        await RunningPodAsync(client, "cpu-1", cpuNode, 0);
        await RunningPodAsync(client, "gpu-0", gpuNode, 1);
        await client.CoreV1.CreateNamespacedPodAsync(Pod("waiting", null, 0), "team", cancellationToken: Ct);
        var cluster = await Services.GetRequiredService<ClusterService>().RegisterSandboxAsync("views", sandbox.CreateKubeconfigYaml("views"), Ct);
        Assert.True(cluster.IsSuccess, string.Join("; ", cluster.Errors.Select(e => e.Message)));
        return (sandbox, client, cluster.Value, gpuNode);
    }

    private static V1Pod Pod(string name, string? node, int gpus) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "team" },
        Spec = new V1PodSpec
        {
            NodeName = node,
            RestartPolicy = "Never",
            Containers =
            [
                new V1Container
                {
                    Name = "main",
                    Image = "busybox",
                    Resources = new V1ResourceRequirements
                    {
                        Requests = gpus == 0
                            ? new Dictionary<string, ResourceQuantity> { ["cpu"] = new("100m") }
                            : new Dictionary<string, ResourceQuantity> { ["cpu"] = new("100m"), ["nvidia.com/gpu"] = new(gpus.ToString(System.Globalization.CultureInfo.InvariantCulture)) },
                    },
                },
            ],
        },
    };

    private static async Task RunningPodAsync(Kubernetes client, string name, string node, int gpus)
    {
        await client.CoreV1.CreateNamespacedPodAsync(Pod(name, node, gpus), "team", cancellationToken: Ct);
        await SetPhaseAsync(client, name, "Running");
    }

    private static Task SetPhaseAsync(Kubernetes client, string name, string phase) =>
        client.CoreV1.PatchNamespacedPodStatusAsync(new V1Patch("{\"status\":{\"phase\":\"" + phase + "\"}}", V1Patch.PatchType.MergePatch), name, "team", cancellationToken: Ct);

    private static async Task<T> EventuallyAsync<T>(Func<T?> read, Func<T, bool> done)
    {
        for (var i = 0; i < 200; i++)
        {
            if (read() is { } value && done(value))
            {
                return value;
            }

            await Task.Delay(50, Ct);
        }

        throw new TimeoutException("the live view did not get there in 10 s");
    }

    [Fact]
    public async Task Subscribers_GetTheSameViewPerBatch_WithPodPhasesAndGpuHoldersFollowingChanges()
    {
        var (sandbox, client, cluster, gpuNode) = await SandboxAsync();
        await using var _ = sandbox;
        using var __ = client;
        using var lease = (await Services.GetRequiredService<InventoryRegistry>().AcquireAsync(cluster.Id, Ct)).Value;
        await lease.Inventory.FirstSync.WaitAsync(Ct);
        var views = Services.GetRequiredService<LiveClusterViews>();
        await using var a = await Follower.StartAsync(views, lease.Inventory);
        await using var b = await Follower.StartAsync(views, lease.Inventory);

        Assert.True(b.Initial.Version >= a.Initial.Version); // recomputed only if a change arrived in between
        Assert.Equal(1, views.Followed);
        var start = await EventuallyAsync(() => a.Latest ?? a.Initial, v => v.RunningPods == 3);
        Assert.Equal(1, start.Total!.Queued);
        Assert.Equal(1, start.Total.PodsPending);
        Assert.Equal(gpuNode, start.GpuNodes[0].Node.Name);
        Assert.Equal(1, start.GpuNodes[0].Used);
        Assert.Equal("gpu-0", Assert.Single(start.GpuNodes[0].Pods).Name);

        await SetPhaseAsync(client, "gpu-0", "Succeeded");
        await SetPhaseAsync(client, "cpu-0", "Failed");

        var after = await EventuallyAsync(() => a.Latest, v => v.RunningPods == 1 && v.Total!.PodsFailed == 1);
        Assert.Equal(1, after.Total!.PodsSucceeded);
        Assert.All(after.GpuNodes, l => Assert.Equal(0, l.Used));
        await EventuallyAsync(() => b.Latest, v => v.Version >= after.Version);
        Assert.Same(a.Latest, b.Latest);
    }

    [Fact]
    public async Task CpuPodChanges_KeepTheSameGpuNodeList_GpuPodChangesRebuildIt()
    {
        var (sandbox, client, cluster, _) = await SandboxAsync();
        await using var _s = sandbox;
        using var _c = client;
        using var lease = (await Services.GetRequiredService<InventoryRegistry>().AcquireAsync(cluster.Id, Ct)).Value;
        await lease.Inventory.FirstSync.WaitAsync(Ct);
        var views = Services.GetRequiredService<LiveClusterViews>();
        await using var follower = await Follower.StartAsync(views, lease.Inventory);
        await EventuallyAsync(() => follower.Latest ?? follower.Initial, v => v.RunningPods == 3);
        // A view computed while gpu-0's start was still arriving rebuilds the GPU list once more on the next batch (by
        // design: the GPU index version is read before computing). Let one non-GPU change settle that first.
        await SetPhaseAsync(client, "waiting", "Failed");
        var start = await EventuallyAsync(() => follower.Latest, v => v.RunningPods == 3 && v.Total!.PodsFailed == 1);

        await SetPhaseAsync(client, "cpu-0", "Succeeded");
        var afterCpu = await EventuallyAsync(() => follower.Latest, v => v.RunningPods == 2);
        Assert.Same(start.GpuNodes, afterCpu.GpuNodes);

        await SetPhaseAsync(client, "gpu-0", "Succeeded");
        var afterGpu = await EventuallyAsync(() => follower.Latest, v => v.RunningPods == 1);
        Assert.NotSame(afterCpu.GpuNodes, afterGpu.GpuNodes);
        Assert.All(afterGpu.GpuNodes, l => Assert.Equal(0, l.Used));
    }

    [Fact]
    public async Task ANodeChange_WhenASubscriberJoinsBetweenTheInventorysHandlers_IsInEveryPublishedView()
    {
        var (sandbox, client, cluster, gpuNode) = await SandboxAsync();
        await using var _s = sandbox;
        using var _c = client;
        using var lease = (await Services.GetRequiredService<InventoryRegistry>().AcquireAsync(cluster.Id, Ct)).Value;
        await lease.Inventory.FirstSync.WaitAsync(Ct);
        var views = Services.GetRequiredService<LiveClusterViews>();
        await using var follower = await Follower.StartAsync(views, lease.Inventory);
        Assert.True(follower.Initial.GpuNodes.Single(l => l.Node.Name == gpuNode).Node.Ready);

        // A page opening at the worst moment: after the inventory said "changed" and before the node handler ran (the
        // inventory's own handlers run first). The view computed for it then has the node counts but not the node list.
        Task<LiveStream<LiveClusterView>>? late = null;
        lease.Inventory.Changed += JoinOnce;
        void JoinOnce()
        {
            if (late is null && lease.Inventory.Nodes.TryGet(gpuNode, out var node) && node is { Ready: false })
            {
                late = views.SubscribeAsync(lease.Inventory, Ct);
            }
        }

        await client.CoreV1.PatchNodeStatusAsync(new V1Patch("""{"status":{"conditions":[{"type":"Ready","status":"False"}]}}""", V1Patch.PatchType.StrategicMergePatch), gpuNode, cancellationToken: Ct);

        // The first view published to the page already there must agree with itself: one node fewer ready, and that node
        // shown not ready in the GPU list (not a view half from before the change).
        var first = await EventuallyAsync(() => follower.Received.FirstOrDefault(v => v.Snapshot.ReadyNodes < follower.Initial.Snapshot.ReadyNodes), _ => true);
        Assert.NotNull(late);
        await (await late!).DisposeAsync();
        lease.Inventory.Changed -= JoinOnce;
        Assert.False(first.GpuNodes.Single(l => l.Node.Name == gpuNode).Node.Ready);
    }

    [Fact]
    public async Task LastSubscriberLeaving_StopsFollowingTheInventory()
    {
        var (sandbox, client, cluster, _) = await SandboxAsync();
        await using var _s = sandbox;
        using var _c = client;
        using var lease = (await Services.GetRequiredService<InventoryRegistry>().AcquireAsync(cluster.Id, Ct)).Value;
        var views = Services.GetRequiredService<LiveClusterViews>();

        var a = await Follower.StartAsync(views, lease.Inventory);
        var b = await Follower.StartAsync(views, lease.Inventory);
        await a.DisposeAsync();
        Assert.Equal(1, views.Followed);
        await b.DisposeAsync();
        await b.DisposeAsync();

        Assert.Equal(0, views.Followed);
        var before = a.Received.Count + b.Received.Count;
        await SetPhaseAsync(client, "cpu-1", "Succeeded");
        await Task.Delay(400, Ct);
        Assert.Equal(before, a.Received.Count + b.Received.Count);
    }

    [Fact]
    public async Task ClusterPage_ShowsRunningPodsFromTheSharedView_AndUpdatesThemLive()
    {
        var (sandbox, client, _, _) = await SandboxAsync();
        await using var _s = sandbox;
        using var _c = client;
        SignIn("admin", StudioRoles.Administrator);
        Render<MudBlazor.MudPopoverProvider>();

        var cut = Render<CascadingAuthenticationState>(p => p.AddChildContent<ClusterDetail>(c => c.Add(x => x.Name, "views")));

        cut.WaitForAssertion(() => Assert.Equal("3", cut.Find("[data-testid=pods-running]").GetAttribute("data-value")), TimeSpan.FromSeconds(20));
        Assert.Contains("3 / 4", cut.Find("[data-testid=pods-running]").TextContent, StringComparison.Ordinal);
        await SetPhaseAsync(client, "cpu-0", "Succeeded");
        cut.WaitForAssertion(() => Assert.Equal("2", cut.Find("[data-testid=pods-running]").GetAttribute("data-value")), TimeSpan.FromSeconds(20));
    }

    [Fact]
    public async Task Overview_ShowsLiveFiguresPerCluster_AndUpdatesThem()
    {
        var (sandbox, client, _, _) = await SandboxAsync();
        await using var _s = sandbox;
        using var _c = client;
        SignIn("admin", StudioRoles.Administrator);

        var cut = Render<CascadingAuthenticationState>(p => p.AddChildContent<Overview>());

        cut.WaitForAssertion(() => Assert.Equal("3", cut.Find("[data-testid=cluster-row-views] [data-testid=pods-running]").GetAttribute("data-value")), TimeSpan.FromSeconds(20));
        Assert.Contains("7 / 7", cut.Find("[data-testid=cluster-row-views]").TextContent, StringComparison.Ordinal);
        await SetPhaseAsync(client, "cpu-1", "Failed");
        cut.WaitForAssertion(() => Assert.Equal("2", cut.Find("[data-testid=cluster-row-views] [data-testid=pods-running]").GetAttribute("data-value")), TimeSpan.FromSeconds(20));
    }

    [Fact]
    public void GpuHeatMap_FromSharedLoads_BuildsOnlyTheRowsShown_BusiestFirst()
    {
        static NodeInfo Node(string name) =>
            new(name, new Dictionary<string, string>(), [], true, false, new ResourceAmounts(8000, 1L << 30, 2), new ResourceAmounts(8000, 1L << 30, 2), 110, null, null, "gpu", null, "A100", []);
        var nodes = Enumerable.Range(0, 500).Select(i => Node($"n{i:D3}")).ToList();
        var held = new Dictionary<string, IReadOnlyList<PodInfo>>
        {
            ["n250"] = [new PodInfo("team", "b", "n250", "Running", new ResourceAmounts(100, 1, 1), null), new PodInfo("team", "a", "n250", "Running", new ResourceAmounts(100, 1, 1), null)],
            ["n100"] = [new PodInfo("team", "c", "n100", "Running", new ResourceAmounts(100, 1, 1), null)],
        };

        var loads = GpuNodeLoad.From(nodes, held);
        var rows = MonitoringModel.GpuHeatMap(loads, ns => $"ws-{ns}", 3, out var hidden);

        Assert.Equal(497, hidden);
        Assert.Equal(["n250", "n100", "n000"], rows.Select(r => r.Node));
        Assert.Equal(["team/a", "team/b"], rows[0].Slots.Select(s => s.Pod));
        Assert.Equal(["ws-team", null], rows[1].Slots.Select(s => s.Owner));
    }

    [Fact]
    public void RunningPods_ReadsAsRunningOfAll_WithADashUntilSynced()
    {
        Assert.Equal("149,900 / 150,000", HumanUnits.RunningPods(149_900, 150_000));
        Assert.Equal("— / 0", HumanUnits.RunningPods(null, 0));
        Assert.Equal(MetricSample.ClusterTotal, new LiveClusterView(1, DateTimeOffset.UnixEpoch, ClusterSnapshot.Unreachable("x", DateTimeOffset.UnixEpoch), [new MetricSample { Pool = MetricSample.ClusterTotal, PodsRunning = 4 }], [], []).Total!.Pool);
    }
}
