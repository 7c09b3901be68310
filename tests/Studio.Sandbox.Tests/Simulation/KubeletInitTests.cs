using System.Text.Json.Nodes;
using k8s;
using k8s.Models;

namespace Studio.Sandbox.Tests.Simulation;

/// <summary>
/// Init containers run before the pod's containers, and their transfers are real: every http(s) URL in a <c>*_URL</c>
/// variable is fetched; a refused one fails the init container with the server's answer and, with restartPolicy Never,
/// the pod.
/// </summary>
public sealed class KubeletInitTests(SimulatedCluster cluster) : IClassFixture<SimulatedCluster>
{
    private V1Pod WithFetch(string name, string url)
    {
        var pod = SimPods.New(name, command: ["sh", "-c", "sleep 1"]);
        pod.Spec.InitContainers =
        [
            new V1Container
            {
                Name = "fetch-code",
                Image = "busybox:1.36",
                Command = ["/bin/sh", "-c", "wget -O /mnt/code.zip \"$CODE_URL\""],
                Env = [new V1EnvVar { Name = "CODE_URL", Value = url }, new V1EnvVar { Name = "NOT_A_URL", Value = "plain text" }],
            },
        ];
        return pod;
    }

    [Fact]
    public async Task AFetchThatSucceeds_CompletesTheInitContainer_ThenThePodRuns()
    {
        var ns = await cluster.NewNamespaceAsync();
        await cluster.Client.CoreV1.CreateNamespacedPodAsync(WithFetch("fetches", new Uri(cluster.Server.BaseAddress, "healthz").AbsoluteUri), ns);

        var done = await cluster.WaitForAsync("pods", ns, "fetches", p => SimulatedCluster.Phase(p) == "Succeeded");

        var init = (JsonObject)done["status"]!["initContainerStatuses"]![0]!;
        Assert.Equal(("fetch-code", 0, "Completed"), ((string?)init["name"], (int?)init["state"]!["terminated"]!["exitCode"], (string?)init["state"]!["terminated"]!["reason"]));
        Assert.Contains(done["status"]!["conditions"]!.AsArray(), c => (string?)c!["type"] == "Initialized" && (string?)c["status"] == "True");
        var log = await cluster.Client.CoreV1.ReadNamespacedPodLogAsync("fetches", ns, container: "fetch-code");
        using var reader = new StreamReader(log);
        Assert.Contains("bytes written", await reader.ReadToEndAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AFetchThatIsRefused_FailsThePodWithTheServersAnswer_AndTheContainerNeverStarts()
    {
        var ns = await cluster.NewNamespaceAsync();
        await cluster.Client.CoreV1.CreateNamespacedPodAsync(WithFetch("refused", new Uri(cluster.Server.BaseAddress, $"api/v1/namespaces/{ns}/pods/missing").AbsoluteUri), ns);

        var failed = await cluster.WaitForAsync("pods", ns, "refused", p => SimulatedCluster.Phase(p) == "Failed");

        var terminated = failed["status"]!["initContainerStatuses"]![0]!["state"]!["terminated"]!;
        Assert.Equal(1, (int?)terminated["exitCode"]);
        Assert.Contains("HTTP/1.1 404", (string?)terminated["message"], StringComparison.Ordinal);
        Assert.Equal("PodInitializing", (string?)failed["status"]!["containerStatuses"]![0]!["state"]!["waiting"]!["reason"]);
        Assert.Contains(failed["status"]!["conditions"]!.AsArray(), c => (string?)c!["type"] == "Initialized" && (string?)c["status"] == "False");
    }
}
