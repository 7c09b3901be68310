using System.IO.Compression;
using System.Net;
using System.Net.Sockets;
using k8s;
using k8s.Models;

namespace Studio.Sandbox.Tests.Simulation;

/// <summary>
/// The simulated image builder runs kaniko's contract for real: it fetches the context through the URL its
/// <c>fetch-context</c> step carries, reads the Dockerfile at the given path, logs each step, fails a <c>RUN false</c>,
/// and "pushes" the image, which only then pulls for a later pod.
/// </summary>
public sealed class KubeletBuildTests(SimulatedCluster cluster) : IClassFixture<SimulatedCluster>, IDisposable
{
    private readonly ContextServer _server = new();

    public void Dispose() => _server.Dispose();

    private static string Sample(string name) => Path.Combine(AppContext.BaseDirectory, "Samples", "docker-context", name, "docker-context");

    private static V1Pod Builder(string name, string contextUrl, string destination, string dockerfile = "Dockerfile")
    {
        var pod = SimPods.New(name, image: "gcr.io/kaniko-project/executor:v1.23.2");
        pod.Spec.Containers[0].Args = ["--context=dir:///workspace", $"--dockerfile=/workspace/{dockerfile}", $"--destination={destination}"];
        pod.Spec.InitContainers =
        [
            new V1Container
            {
                Name = "fetch-context",
                Image = "busybox:1.36",
                Command = ["/bin/sh", "-c", "wget -O /workspace/.context.zip \"$STUDIO_CONTEXT_URL\""],
                Env = [new V1EnvVar { Name = "STUDIO_CONTEXT_URL", Value = contextUrl }],
            },
        ];
        return pod;
    }

    private async Task<string> LogAsync(string ns, string pod)
    {
        using var reader = new StreamReader(await cluster.Client.CoreV1.ReadNamespacedPodLogAsync(pod, ns, container: "main"));
        return await reader.ReadToEndAsync();
    }

    [Fact]
    public async Task ABuild_FetchesTheContext_LogsEachStep_AndPushesTheImage_WhichThenPulls()
    {
        var ns = await cluster.NewNamespaceAsync();
        var image = $"registry.example/studio-env:{Guid.NewGuid():N}";
        await cluster.Client.CoreV1.CreateNamespacedPodAsync(Builder("build", _server.Serve(Sample("env")), image), ns);

        var done = await cluster.WaitForAsync("pods", ns, "build", p => SimulatedCluster.Phase(p) is "Succeeded" or "Failed");

        Assert.Equal("Succeeded", SimulatedCluster.Phase(done));
        var log = await LogAsync(ns, "build");
        Assert.Contains("Retrieving image manifest python:3.11-slim", log, StringComparison.Ordinal);
        Assert.Contains("RUN pip install --no-cache-dir -r requirements.txt", log, StringComparison.Ordinal);
        Assert.Contains($"Pushed {image}@sha256:", log, StringComparison.Ordinal);
        Assert.True(cluster.Cluster.Simulator!.Kubelet.PushedImages.ContainsKey(image));

        await cluster.Client.CoreV1.CreateNamespacedPodAsync(SimPods.New("uses-it", image: image, command: ["sh", "-c", "sleep 1"]), ns);
        var ran = await cluster.WaitForAsync("pods", ns, "uses-it", p => SimulatedCluster.Phase(p) == "Succeeded");
        Assert.Equal("Succeeded", SimulatedCluster.Phase(ran));
    }

    [Fact]
    public async Task AStepThatExits1_FailsTheBuildWithKanikosError_AndPushesNothing()
    {
        var ns = await cluster.NewNamespaceAsync();
        var image = $"registry.example/studio-env:{Guid.NewGuid():N}";
        await cluster.Client.CoreV1.CreateNamespacedPodAsync(Builder("fails", _server.Serve(Sample("env-failing")), image), ns);

        var failed = await cluster.WaitForAsync("pods", ns, "fails", p => SimulatedCluster.Phase(p) is "Succeeded" or "Failed");

        Assert.Equal("Failed", SimulatedCluster.Phase(failed));
        var terminated = SimulatedCluster.ContainerState(failed)!["terminated"]!;
        Assert.Equal(1, (int?)terminated["exitCode"]);
        Assert.Contains("exit status 1", (string?)terminated["message"], StringComparison.Ordinal);
        var log = await LogAsync(ns, "fails");
        Assert.Contains("Running: [/bin/sh -c false]", log, StringComparison.Ordinal);
        Assert.DoesNotContain("COPY . /opt/studio", log, StringComparison.Ordinal);
        Assert.False(cluster.Cluster.Simulator!.Kubelet.PushedImages.ContainsKey(image));
    }

    [Fact]
    public async Task ADockerfileNotInTheContext_FailsTheBuild_NamingTheDockerfilePath()
    {
        var ns = await cluster.NewNamespaceAsync();
        await cluster.Client.CoreV1.CreateNamespacedPodAsync(Builder("no-dockerfile", _server.Serve(Sample("env")), "registry.example/studio-env:none", dockerfile: "docker/Dockerfile"), ns);

        var failed = await cluster.WaitForAsync("pods", ns, "no-dockerfile", p => SimulatedCluster.Phase(p) is "Succeeded" or "Failed");

        Assert.Equal("Failed", SimulatedCluster.Phase(failed));
        Assert.Contains("valid path to a Dockerfile", (string?)SimulatedCluster.ContainerState(failed)!["terminated"]!["message"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task ABuiltImageNeverPushed_DoesNotPull()
    {
        var ns = await cluster.NewNamespaceAsync();
        await cluster.Client.CoreV1.CreateNamespacedPodAsync(SimPods.New("unbuilt", image: $"registry.example/studio-env:{Guid.NewGuid():N}", command: ["sh", "-c", "sleep 1"]), ns);

        var waiting = await cluster.WaitForAsync("pods", ns, "unbuilt", p => (string?)SimulatedCluster.ContainerState(p)?["waiting"]?["reason"] is "ErrImagePull" or "ImagePullBackOff");

        Assert.Equal("Pending", SimulatedCluster.Phase(waiting));
    }

    /// <summary>Serves zips of sample folders on a loopback port, as the studio's signed URLs would.</summary>
    private sealed class ContextServer : IDisposable
    {
        private readonly HttpListener _listener = new();
        private readonly Dictionary<string, byte[]> _zips = new(StringComparer.Ordinal);
        private readonly string _prefix;

        public ContextServer()
        {
            using var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            var port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            _prefix = $"http://127.0.0.1:{port}/";
            _listener.Prefixes.Add(_prefix);
            _listener.Start();
            _ = Task.Run(LoopAsync);
        }

        public string Serve(string folder)
        {
            using var buffer = new MemoryStream();
            using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
            {
                foreach (var file in Directory.GetFiles(folder, "*", SearchOption.AllDirectories))
                {
                    zip.CreateEntryFromFile(file, Path.GetRelativePath(folder, file).Replace('\\', '/'));
                }
            }

            var key = Guid.NewGuid().ToString("N");
            lock (_zips)
            {
                _zips[key] = buffer.ToArray();
            }

            return _prefix + key + "?sig=test";
        }

        private async Task LoopAsync()
        {
            while (_listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await _listener.GetContextAsync();
                }
                catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
                {
                    return;
                }

                byte[]? body;
                lock (_zips)
                {
                    body = _zips.GetValueOrDefault(context.Request.Url!.AbsolutePath.Trim('/'));
                }

                context.Response.StatusCode = body is null ? 404 : 200;
                if (body is not null)
                {
                    await context.Response.OutputStream.WriteAsync(body);
                }

                context.Response.Close();
            }
        }

        public void Dispose() => _listener.Close();
    }
}
