using System.Text;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;

namespace Studio.Sandbox.Tests.Simulation;

/// <summary>The service proxy to simulated model servers and the pod log options.</summary>
public sealed class ProxyAndLogTests : IClassFixture<SimulatedCluster>, IDisposable
{
    private readonly SimulatedCluster _c;
    private readonly HttpClient _http;

    public ProxyAndLogTests(SimulatedCluster cluster)
    {
        _c = cluster;
        _http = new HttpClient { BaseAddress = cluster.Server.BaseAddress };
    }

    public void Dispose() => _http.Dispose();

    private async Task<string> ModelServiceAsync()
    {
        var ns = await _c.NewNamespaceAsync();
        await _c.Client.CoreV1.CreateNamespacedServiceAsync(new V1Service
        {
            Metadata = new V1ObjectMeta { Name = "sentiment" },
            Spec = new V1ServiceSpec { Selector = new Dictionary<string, string> { ["app"] = "sentiment" }, Ports = [new V1ServicePort { Name = "http", Port = 80, TargetPort = 8080 }] },
        }, ns);
        await _c.Client.CoreV1.CreateNamespacedPodAsync(SimPods.New("sentiment-0", image: "ghcr.io/acme/torchserve:0.12", restartPolicy: "Always", labels: new Dictionary<string, string> { ["app"] = "sentiment" }), ns);
        await _c.WaitForAsync("endpoints", ns, "sentiment", e => ((e["subsets"] as JsonArray)?.FirstOrDefault()?["addresses"] as JsonArray)?.Count == 1);
        return ns;
    }

    [Fact]
    public async Task TheServiceProxyAnswersAScoringRequestWithADeterministicPrediction()
    {
        var ns = await ModelServiceAsync();
        var path = $"/api/v1/namespaces/{ns}/services/sentiment:80/proxy/v1/models/sentiment:predict";
        const string body = """{"instances":[{"text":"great movie"},{"text":"terrible plot"}]}""";

        async Task<JsonNode> ScoreAsync()
        {
            using var content = new StringContent(body, Encoding.UTF8, "application/json");
            using var response = await _http.PostAsync(path, content);
            response.EnsureSuccessStatusCode();
            return JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        }

        var first = await ScoreAsync();
        var second = await ScoreAsync();

        Assert.Equal(2, first["predictions"]!.AsArray().Count);
        Assert.Equal(first["predictions"]!.ToJsonString(), second["predictions"]!.ToJsonString());
        Assert.Equal("sentiment-0", (string?)first["pod"]);
        var logs = await _http.GetStringAsync($"/api/v1/namespaces/{ns}/pods/sentiment-0/log");
        Assert.Contains("POST /v1/models/sentiment:predict", logs, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheServiceProxyAnswers503WithoutReadyEndpoints()
    {
        var ns = await _c.NewNamespaceAsync();
        await _c.Client.CoreV1.CreateNamespacedServiceAsync(new V1Service
        {
            Metadata = new V1ObjectMeta { Name = "empty" },
            Spec = new V1ServiceSpec { Selector = new Dictionary<string, string> { ["app"] = "none" }, Ports = [new V1ServicePort { Port = 80 }] },
        }, ns);

        using var response = await _http.GetAsync($"/api/v1/namespaces/{ns}/services/empty:80/proxy/");

        Assert.Equal(503, (int)response.StatusCode);
        Assert.Contains("no endpoints available for service \\\"empty\\\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task FollowingATrainingPodsLogStreamsNewEpochLines()
    {
        var ns = await _c.NewNamespaceAsync();
        var pod = SimPods.New("trainer", image: "ghcr.io/acme/llm-train:1.0", restartPolicy: "Never");
        pod.Spec.Containers[0].Env = [new V1EnvVar { Name = "RANK", Value = "2" }, new V1EnvVar { Name = "WORLD_SIZE", Value = "4" }];
        await _c.Client.CoreV1.CreateNamespacedPodAsync(pod, ns);
        await _c.WaitForAsync("pods", ns, "trainer", p => SimulatedCluster.Phase(p) == "Running");

        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var response = await _http.GetAsync($"/api/v1/namespaces/{ns}/pods/trainer/log?follow=true", HttpCompletionOption.ResponseHeadersRead, cts.Token);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cts.Token));
        var lines = new List<string>();
        while (await reader.ReadLineAsync(cts.Token) is { } line)
        {
            lines.Add(line);
            if (line.Contains("epoch", StringComparison.Ordinal) && line.Contains("loss", StringComparison.Ordinal))
            {
                break;
            }
        }

        Assert.StartsWith("[rank2] Initializing process group: backend=nccl world_size=4 rank=2", lines[0], StringComparison.Ordinal);
        Assert.Matches(@"^\[rank2\] epoch \d+/10 step \d+ loss \d\.\d{4}", lines[^1]);
    }

    [Fact]
    public async Task TimestampsTailLinesAndPreviousSelectLogLines()
    {
        var ns = await _c.NewNamespaceAsync();
        await _c.Client.CoreV1.CreateNamespacedPodAsync(SimPods.New("crashy", restartPolicy: "Always",
            annotations: new Dictionary<string, string> { ["sandbox.studio/exit-code"] = "2", ["sandbox.studio/run-seconds"] = "1" }), ns);
        await _c.WaitForAsync("pods", ns, "crashy", p => ((p["status"]?["containerStatuses"] as JsonArray)?[0]?["restartCount"]?.GetValue<int>() ?? 0) >= 1);

        var previous = await _http.GetStringAsync($"/api/v1/namespaces/{ns}/pods/crashy/log?previous=true");
        var stamped = await _http.GetStringAsync($"/api/v1/namespaces/{ns}/pods/crashy/log?previous=true&timestamps=true&tailLines=1");

        Assert.Contains("exited with code 2", previous, StringComparison.Ordinal);
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z .*exited with code 2\n$", stamped);
    }
}
