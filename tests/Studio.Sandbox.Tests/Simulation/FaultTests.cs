using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Studio.Sandbox.Tests.Simulation;

/// <summary>Each fault mode, switched on through <c>/sandbox/faults</c> and observed by a KubernetesClient caller or watcher.</summary>
public sealed class FaultTests : IClassFixture<SimulatedCluster>, IAsyncLifetime
{
    private readonly SimulatedCluster _c;
    private readonly HttpClient _http;

    public FaultTests(SimulatedCluster cluster)
    {
        _c = cluster;
        _http = new HttpClient { BaseAddress = cluster.Server.BaseAddress };
    }

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        (await _http.DeleteAsync("/sandbox/faults")).EnsureSuccessStatusCode();
        _http.Dispose();
    }

    private async Task SetFaultsAsync(string json)
    {
        using var content = new StringContent(json, Encoding.UTF8, "application/json");
        (await _http.PutAsync("/sandbox/faults", content)).EnsureSuccessStatusCode();
    }

    [Fact]
    public async Task WatchGoneAnswersWatchesWith410()
    {
        var ns = await _c.NewNamespaceAsync();
        await SetFaultsAsync("""{"watchGone": true}""");

        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        Exception? reported = null;
        await foreach (var unused in _c.Client.CoreV1.WatchListNamespacedPodAsync(ns, onError: e => reported = e, cancellationToken: cts.Token))
        {
            Assert.Fail("no event expected");
        }

        Assert.Equal(410, Assert.IsType<KubernetesException>(reported).Status.Code);
    }

    [Fact]
    public async Task WatchCloseSecondsEndsOpenWatches()
    {
        var ns = await _c.NewNamespaceAsync();
        await SetFaultsAsync("""{"watchCloseSeconds": 0.5}""");

        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var ended = false;
        try
        {
            await foreach (var unused in _c.Client.CoreV1.WatchListNamespacedPodAsync(ns, cancellationToken: cts.Token))
            {
            }

            ended = true;
        }
        catch (Exception e) when (e is HttpRequestException or IOException)
        {
            ended = true;
        }

        Assert.True(ended);
        Assert.False(cts.IsCancellationRequested, "the watch should have been closed by the server, not by the test's timeout");
    }

    [Theory]
    [InlineData(500)]
    [InlineData(429)]
    public async Task ErrorRateFailsRequestsWithTheConfiguredStatus(int code)
    {
        var ns = await _c.NewNamespaceAsync();
        await SetFaultsAsync($$"""{"errorRate": 1, "errorCode": {{code}}}""");

        var e = await Assert.ThrowsAsync<HttpOperationException>(() => _c.Client.CoreV1.ListNamespacedPodAsync(ns));
        Assert.Equal((HttpStatusCode)code, e.Response.StatusCode);

        await _http.DeleteAsync("/sandbox/faults");
        Assert.Empty((await _c.Client.CoreV1.ListNamespacedPodAsync(ns)).Items);
    }

    [Fact]
    public async Task LatencyDelaysEveryRequestByAtLeastTheConfiguredTime()
    {
        var ns = await _c.NewNamespaceAsync();
        await SetFaultsAsync("""{"latencyMs": 300}""");

        var watch = System.Diagnostics.Stopwatch.StartNew();
        await _c.Client.CoreV1.ListNamespacedPodAsync(ns);

        Assert.True(watch.ElapsedMilliseconds >= 300, $"took {watch.ElapsedMilliseconds} ms");
    }

    [Fact]
    public async Task ImagePullFailureMakesMatchingImagesFailToPull()
    {
        var ns = await _c.NewNamespaceAsync();
        await SetFaultsAsync("""{"imagePullFailure": "acme/broken"}""");
        await _c.Client.CoreV1.CreateNamespacedPodAsync(SimPods.New("pull", image: "acme/broken:2.0"), ns);

        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        string? reason = null;
        await foreach (var (_, pod) in _c.Client.CoreV1.WatchListNamespacedPodAsync(ns, cancellationToken: cts.Token))
        {
            reason = pod.Status?.ContainerStatuses?.FirstOrDefault()?.State?.Waiting?.Reason;
            if (reason == "ErrImagePull")
            {
                break;
            }
        }

        Assert.Equal("ErrImagePull", reason);
    }

    [Fact]
    public async Task ANodeMarkedNotReadyIsSeenByWatchersAndItsPodsAreEvicted()
    {
        var ns = await _c.NewNamespaceAsync();
        var node = (await _c.Client.CoreV1.ListNodeAsync(labelSelector: "agentpool=system")).Items[0].Metadata.Name;
        await _c.Client.CoreV1.CreateNamespacedPodAsync(new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = "victim" },
            Spec = new V1PodSpec { NodeName = node, Containers = [new V1Container { Name = "main", Image = "nginx:1.27" }] },
        }, ns);
        await _c.WaitForAsync("pods", ns, "victim", p => SimulatedCluster.Phase(p) == "Running");
        await SetFaultsAsync("""{"evictionSeconds": 30}""");

        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var watching = Task.Run(async () =>
        {
            await foreach (var (_, n) in _c.Client.CoreV1.WatchListNodeAsync(fieldSelector: "metadata.name=" + node, cancellationToken: cts.Token))
            {
                var ready = n.Status.Conditions.First(c => c.Type == "Ready");
                if (ready.Status != "True")
                {
                    return ready;
                }
            }

            return null;
        });
        (await _http.PostAsync($"/sandbox/nodes/{node}/notready", null)).EnsureSuccessStatusCode();

        var condition = await watching;
        Assert.Equal("Unknown", condition?.Status);
        Assert.Equal("NodeStatusUnknown", condition?.Reason);
        await _c.WaitUntilAsync(() => _c.Cluster.Store.Get("pods", ns, "victim") is null, "pods", "eviction of the pod on the NotReady node");

        (await _http.PostAsync($"/sandbox/nodes/{node}/ready", null)).EnsureSuccessStatusCode();
        await _c.WaitForAsync("nodes", "", node, n => SimulatedCluster.HasCondition(n, "Ready"));
    }

    [Fact]
    public async Task TheStatusEndpointReportsCountsAndActiveFaults()
    {
        await SetFaultsAsync("""{"latencyMs": 1}""");
        var status = JsonNode.Parse(await _http.GetStringAsync("/sandbox/status"))!;

        Assert.Equal(7, (int?)status["nodes"]);
        Assert.Equal(1, (int?)status["faults"]?["latencyMs"]);
    }

    [Fact]
    public async Task TheSimulationKeepsRunningAfterEveryWatchIsDropped()
    {
        var ns = await _c.NewNamespaceAsync();
        Assert.True(_c.Server.DropWatches() >= 1);

        await _c.Client.CoreV1.CreateNamespacedPodAsync(SimPods.New("after-drop", restartPolicy: "Always"), ns);

        await _c.WaitForAsync("pods", ns, "after-drop", p => SimulatedCluster.Phase(p) == "Running");
    }
}
