using System.Text.Json.Nodes;
using k8s;

namespace Studio.Sandbox.Tests.Simulation;

/// <summary>Container outcomes from the workload rule set (annotations, commands, images) as the simulated kubelet reports them.</summary>
public sealed class KubeletTests : IClassFixture<SimulatedCluster>
{
    private readonly SimulatedCluster _c;

    public KubeletTests(SimulatedCluster cluster) => _c = cluster;

    private static Dictionary<string, string> Ann(params (string Key, string Value)[] kv) => kv.ToDictionary(x => "sandbox.studio/" + x.Key, x => x.Value);

    [Fact]
    public async Task ASleepingPodRunsThenSucceedsWithExitCodeZero()
    {
        var ns = await _c.NewNamespaceAsync();
        await _c.Client.CoreV1.CreateNamespacedPodAsync(SimPods.New("nap", command: ["sh", "-c", "sleep 5"]), ns);

        var running = await _c.WaitForAsync("pods", ns, "nap", p => SimulatedCluster.Phase(p) == "Running");
        Assert.NotNull(SimulatedCluster.ContainerState(running)?["running"]);
        Assert.StartsWith("10.", (string?)running["status"]?["podIP"], StringComparison.Ordinal);
        var done = await _c.WaitForAsync("pods", ns, "nap", p => SimulatedCluster.Phase(p) == "Succeeded");
        var terminated = SimulatedCluster.ContainerState(done)?["terminated"];
        Assert.Equal(0, (int?)terminated?["exitCode"]);
        Assert.Equal("Completed", (string?)terminated?["reason"]);
    }

    [Fact]
    public async Task AnExitCodeAnnotationFailsTheContainerWithError()
    {
        var ns = await _c.NewNamespaceAsync();
        await _c.Client.CoreV1.CreateNamespacedPodAsync(SimPods.New("bad", annotations: Ann(("exit-code", "3"), ("run-seconds", "2"))), ns);

        var pod = await _c.WaitForAsync("pods", ns, "bad", p => SimulatedCluster.Phase(p) == "Failed");
        Assert.Equal(3, (int?)SimulatedCluster.ContainerState(pod)?["terminated"]?["exitCode"]);
        Assert.Equal("Error", (string?)SimulatedCluster.ContainerState(pod)?["terminated"]?["reason"]);
    }

    [Fact]
    public async Task AMissingImageIsErrImagePullThenImagePullBackOff()
    {
        var ns = await _c.NewNamespaceAsync();
        await _c.Client.CoreV1.CreateNamespacedPodAsync(SimPods.New("ghost", image: "registry.example.com/team/does-not-exist:1.0"), ns);

        await _c.WaitForAsync("pods", ns, "ghost", p => (string?)SimulatedCluster.ContainerState(p)?["waiting"]?["reason"] == "ErrImagePull");
        var pod = await _c.WaitForAsync("pods", ns, "ghost", p => (string?)SimulatedCluster.ContainerState(p)?["waiting"]?["reason"] == "ImagePullBackOff");
        Assert.Equal("Pending", SimulatedCluster.Phase(pod));
        var evt = await _c.WaitForAnyAsync("events", ns, e => (string?)e["reason"] == "Failed" && ((string?)e["message"] ?? "").StartsWith("Failed to pull image", StringComparison.Ordinal), "pull failure event");
        Assert.Equal("Warning", (string?)evt["type"]);
    }

    [Fact]
    public async Task MemoryUseAboveTheLimitIsOomKilled()
    {
        var ns = await _c.NewNamespaceAsync();
        await _c.Client.CoreV1.CreateNamespacedPodAsync(SimPods.New("hog", memoryLimit: "1Gi", annotations: Ann(("memory", "3Gi"), ("run-seconds", "30"))), ns);

        var pod = await _c.WaitForAsync("pods", ns, "hog", p => SimulatedCluster.Phase(p) == "Failed");
        Assert.Equal("OOMKilled", (string?)SimulatedCluster.ContainerState(pod)?["terminated"]?["reason"]);
        Assert.Equal(137, (int?)SimulatedCluster.ContainerState(pod)?["terminated"]?["exitCode"]);
    }

    [Fact]
    public async Task AFailingContainerWithRestartAlwaysGoesIntoCrashLoopBackOffAndCountsRestarts()
    {
        var ns = await _c.NewNamespaceAsync();
        await _c.Client.CoreV1.CreateNamespacedPodAsync(SimPods.New("crash", restartPolicy: "Always", annotations: Ann(("exit-code", "1"), ("run-seconds", "1"))), ns);

        await _c.WaitForAsync("pods", ns, "crash", p => (string?)SimulatedCluster.ContainerState(p)?["waiting"]?["reason"] == "CrashLoopBackOff");
        var pod = await _c.WaitForAsync("pods", ns, "crash", p =>
            ((p["status"]?["containerStatuses"] as JsonArray)?[0]?["restartCount"]?.GetValue<int>() ?? 0) >= 1);
        var status = (JsonObject)((JsonArray)pod["status"]!["containerStatuses"]!)[0]!;
        Assert.Equal(1, (int?)status["lastState"]?["terminated"]?["exitCode"]);
        Assert.NotEqual("Failed", SimulatedCluster.Phase(pod));
    }

    [Fact]
    public async Task ActiveDeadlineSecondsFailsThePodWithDeadlineExceeded()
    {
        var ns = await _c.NewNamespaceAsync();
        var pod = SimPods.New("slow", command: ["sleep", "infinity"]);
        pod.Spec.ActiveDeadlineSeconds = 5;
        await _c.Client.CoreV1.CreateNamespacedPodAsync(pod, ns);

        var failed = await _c.WaitForAsync("pods", ns, "slow", p => SimulatedCluster.Phase(p) == "Failed");
        Assert.Equal("DeadlineExceeded", (string?)failed["status"]?["reason"]);
    }

    [Fact]
    public async Task AReadinessProbeMakesThePodReadyOnlyAfterItsInitialDelay()
    {
        var ns = await _c.NewNamespaceAsync();
        var pod = SimPods.New("web", image: "nginx:1.27", restartPolicy: "Always");
        pod.Spec.Containers[0].ReadinessProbe = new k8s.Models.V1Probe { InitialDelaySeconds = 20, PeriodSeconds = 5, HttpGet = new k8s.Models.V1HTTPGetAction { Port = 80 } };
        await _c.Client.CoreV1.CreateNamespacedPodAsync(pod, ns);

        var running = await _c.WaitForAsync("pods", ns, "web", p => SimulatedCluster.Phase(p) == "Running");
        Assert.False(SimulatedCluster.HasCondition(running, "Ready"));
        await _c.WaitForAsync("pods", ns, "web", p => SimulatedCluster.HasCondition(p, "Ready"));
    }

    [Fact]
    public async Task DeletingARunningPodTerminatesItGracefullyAndThenRemovesIt()
    {
        var ns = await _c.NewNamespaceAsync();
        await _c.Client.CoreV1.CreateNamespacedPodAsync(SimPods.New("bye", restartPolicy: "Always"), ns);
        await _c.WaitForAsync("pods", ns, "bye", p => SimulatedCluster.Phase(p) == "Running");

        await _c.Client.CoreV1.DeleteNamespacedPodAsync("bye", ns);
        await _c.WaitUntilAsync(() => _c.Cluster.Store.Get("pods", ns, "bye") is null, "pods", "pod removal");
    }
}
