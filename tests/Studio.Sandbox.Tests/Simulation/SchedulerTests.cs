using System.Text.Json.Nodes;
using k8s;

namespace Studio.Sandbox.Tests.Simulation;

/// <summary>Scheduling against the default topology (1 system, 3 cpu, 2 T4 and 1 A100 nodes, one GPU each). GPU tests run in this class only, one at a time.</summary>
public sealed class SchedulerTests : IClassFixture<SimulatedCluster>
{
    private const string A100 = "NVIDIA-A100-PCIE-80GB";
    private readonly SimulatedCluster _c;

    public SchedulerTests(SimulatedCluster cluster) => _c = cluster;

    private static Dictionary<string, string> OnA100 => new() { ["nvidia.com/gpu.product"] = A100 };

    private Task<JsonObject> Scheduled(string ns, string name) =>
        _c.WaitForAsync("pods", ns, name, p => p["spec"]?["nodeName"] is not null);

    private Task<JsonObject> Unschedulable(string ns, string name) =>
        _c.WaitForAsync("pods", ns, name, p => (p["status"]?["conditions"] as JsonArray ?? []).OfType<JsonObject>()
            .Any(c => (string?)c["type"] == "PodScheduled" && (string?)c["status"] == "False" && (string?)c["reason"] == "Unschedulable"));

    [Fact]
    public async Task AnImpossibleGpuRequestGetsFailedSchedulingWithTheKubeSchedulerMessage()
    {
        await GpuNodesFreeAsync();
        var ns = await _c.NewNamespaceAsync();
        await _c.Client.CoreV1.CreateNamespacedPodAsync(SimPods.New("greedy", gpus: 2, nodeSelector: OnA100, restartPolicy: "Always"), ns);

        var pod = await Unschedulable(ns, "greedy");
        const string expected = "0/7 nodes are available: 1 Insufficient nvidia.com/gpu, 6 node(s) didn't match Pod's node affinity/selector.";
        Assert.Equal(expected, (string?)((JsonArray)pod["status"]!["conditions"]!).OfType<JsonObject>().First(c => (string?)c["type"] == "PodScheduled")["message"]);
        var evt = await _c.WaitForAnyAsync("events", ns, e => (string?)e["reason"] == "FailedScheduling", "FailedScheduling event");
        Assert.Equal(expected, (string?)evt["message"]);
        Assert.Equal("Warning", (string?)evt["type"]);
        Assert.Equal("greedy", (string?)evt["involvedObject"]?["name"]);
        await _c.Client.CoreV1.DeleteNamespacedPodAsync("greedy", ns);
    }

    /// <summary>GPU tests share the cluster's three GPU nodes: wait until no earlier test's pod still holds one.</summary>
    private Task GpuNodesFreeAsync() => _c.WaitUntilAsync(
        () => _c.Cluster.Store.List("pods", null, null, 0, p => p.NodeName is { } n && n.Contains("gpu", StringComparison.Ordinal) && p.Phase is not ("Succeeded" or "Failed")).Items.Count == 0,
        "pods", "GPU nodes free of earlier tests' pods");

    [Fact]
    public async Task AnUnschedulablePodIsPlacedOnceCapacityFreesUp()
    {
        await GpuNodesFreeAsync();
        var ns = await _c.NewNamespaceAsync();
        await _c.Client.CoreV1.CreateNamespacedPodAsync(SimPods.New("first", gpus: 1, nodeSelector: OnA100, restartPolicy: "Always"), ns);
        var first = await Scheduled(ns, "first");
        await _c.Client.CoreV1.CreateNamespacedPodAsync(SimPods.New("second", gpus: 1, nodeSelector: OnA100, restartPolicy: "Always"), ns);
        await Unschedulable(ns, "second");

        await _c.Client.CoreV1.DeleteNamespacedPodAsync("first", ns);
        var second = await Scheduled(ns, "second");

        Assert.Equal((string?)first["spec"]!["nodeName"], (string?)second["spec"]!["nodeName"]);
        await _c.Client.CoreV1.DeleteNamespacedPodAsync("second", ns);
        await _c.WaitUntilAsync(() => _c.Cluster.Store.Count("pods", ns) == 0, "pods", "pods gone");
    }

    [Fact]
    public async Task AHigherPriorityPodPreemptsALowerPriorityOne()
    {
        await GpuNodesFreeAsync();
        var ns = await _c.NewNamespaceAsync();
        await _c.Client.CoreV1.CreateNamespacedPodAsync(SimPods.New("low", gpus: 1, nodeSelector: OnA100, restartPolicy: "Always", priority: 10), ns);
        await Scheduled(ns, "low");

        await _c.Client.CoreV1.CreateNamespacedPodAsync(SimPods.New("high", gpus: 1, nodeSelector: OnA100, restartPolicy: "Always", priority: 1000), ns);
        var high = await Scheduled(ns, "high");

        Assert.Contains("a100", (string?)high["spec"]!["nodeName"], StringComparison.Ordinal);
        Assert.Null(_c.Cluster.Store.Get("pods", ns, "low"));
        var evt = await _c.WaitForAnyAsync("events", ns, e => (string?)e["reason"] == "Preempted", "Preempted event");
        Assert.Equal("low", (string?)evt["involvedObject"]?["name"]);
        await _c.Client.CoreV1.DeleteNamespacedPodAsync("high", ns);
        await _c.WaitUntilAsync(() => _c.Cluster.Store.Count("pods", ns) == 0, "pods", "pods gone");
    }

    [Fact]
    public async Task AGangIsPlacedAllOrNothing()
    {
        await GpuNodesFreeAsync();
        var ns = await _c.NewNamespaceAsync();
        // Three GPU nodes with one GPU each: a gang of four one-GPU pods cannot fit, so none is bound.
        for (var i = 0; i < 4; i++)
        {
            await _c.Client.CoreV1.CreateNamespacedPodAsync(SimPods.New($"big-{i}", gpus: 1, restartPolicy: "Always",
                labels: new Dictionary<string, string> { ["scheduling.x-k8s.io/pod-group"] = "big" },
                annotations: new Dictionary<string, string> { ["scheduling.x-k8s.io/min-member"] = "4" }), ns);
        }

        for (var i = 0; i < 4; i++)
        {
            var pod = await Unschedulable(ns, $"big-{i}");
            Assert.Null(pod["spec"]!["nodeName"]);
        }

        await _c.Client.CoreV1.DeleteCollectionNamespacedPodAsync(ns);
        await _c.WaitUntilAsync(() => _c.Cluster.Store.Count("pods", ns) == 0, "pods", "pods gone");

        for (var i = 0; i < 3; i++)
        {
            await _c.Client.CoreV1.CreateNamespacedPodAsync(SimPods.New($"fit-{i}", gpus: 1, restartPolicy: "Always",
                labels: new Dictionary<string, string> { ["scheduling.x-k8s.io/pod-group"] = "fit" },
                annotations: new Dictionary<string, string> { ["scheduling.x-k8s.io/min-member"] = "3" }), ns);
        }

        var nodes = new HashSet<string>();
        for (var i = 0; i < 3; i++)
        {
            nodes.Add((string)(await Scheduled(ns, $"fit-{i}"))["spec"]!["nodeName"]!);
        }

        Assert.Equal(3, nodes.Count);
        await _c.Client.CoreV1.DeleteCollectionNamespacedPodAsync(ns);
        await _c.WaitUntilAsync(() => _c.Cluster.Store.Count("pods", ns) == 0, "pods", "pods gone");
    }

    [Fact]
    public async Task LeastAllocatedScoringSpreadsPodsOverTheCpuPool()
    {
        var ns = await _c.NewNamespaceAsync();
        var selector = new Dictionary<string, string> { ["agentpool"] = "cpu" };
        for (var i = 0; i < 3; i++)
        {
            await _c.Client.CoreV1.CreateNamespacedPodAsync(SimPods.New($"web-{i}", cpu: "2", restartPolicy: "Always", nodeSelector: selector), ns);
        }

        var nodes = new HashSet<string>();
        for (var i = 0; i < 3; i++)
        {
            nodes.Add((string)(await Scheduled(ns, $"web-{i}"))["spec"]!["nodeName"]!);
        }

        Assert.Equal(3, nodes.Count);
        Assert.All(nodes, n => Assert.StartsWith("aks-cpu-", n, StringComparison.Ordinal));
    }
}
