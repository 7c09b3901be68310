using System.Text;
using k8s;
using k8s.Models;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Studio.E2E.Shared;
using Studio.Infrastructure.Clusters;
using Studio.Infrastructure.Persistence;
using Studio.Sandbox.Hosting;

namespace Studio.E2E;

public sealed class MonitoringTests(Browser browser) : IClassFixture<Browser>, IAsyncLifetime
{
    private StudioServer _server = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync()
    {
        _server = new StudioServer();
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    private async Task<k8s.Kubernetes> SandboxAsync()
    {
        var kubeconfig = (await _server.Services.GetRequiredService<SandboxHost>().Ready).CreateKubeconfigYaml();
        return new k8s.Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(new MemoryStream(Encoding.UTF8.GetBytes(kubeconfig))));
    }

    /// <summary>An hour of sampled history (as the sampler would have written it), so the charts have lines.</summary>
    private async Task SeedHistoryAsync()
    {
        var cluster = (await _server.Services.GetRequiredService<ClusterService>().GetAsync("sandbox", Ct)).Value;
        await using var db = await _server.Services.GetRequiredService<IDbContextFactory<StudioDbContext>>().CreateDbContextAsync(Ct);
        var now = DateTimeOffset.UtcNow;
        for (var i = 60; i >= 1; i--)
        {
            var load = 0.5 + (0.4 * Math.Sin(i / 8.0));
            db.MetricSamples.Add(new MetricSample
            {
                ClusterId = cluster.Id,
                Pool = MetricSample.ClusterTotal,
                At = now.AddMinutes(-i),
                Nodes = 7,
                ReadyNodes = 7,
                CpuAllocatableMillis = 60_000,
                CpuRequestedMillis = (long)(60_000 * load),
                MemoryAllocatableBytes = 400L << 30,
                MemoryRequestedBytes = (long)((400L << 30) * load * 0.8),
                GpusAllocatable = 3,
                GpusRequested = i % 20 < 10 ? 2 : 1,
                PodsRunning = (int)(20 * load),
                PodsPending = i % 7,
                Queued = i % 5,
            });
        }

        await db.SaveChangesAsync(Ct);
    }

    private static V1Pod GpuPod(string name) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "studio-local", Annotations = new Dictionary<string, string> { ["sandbox.studio/pull-seconds"] = "0", ["sandbox.studio/run-seconds"] = "forever" } },
        Spec = new V1PodSpec
        {
            RestartPolicy = "Never",
            Tolerations = [new V1Toleration { Key = "sku", OperatorProperty = "Equal", Value = "gpu", Effect = "NoSchedule" }],
            Containers =
            [
                new V1Container
                {
                    Name = "train",
                    Image = "pytorch",
                    Command = ["sleep", "infinity"],
                    Resources = new V1ResourceRequirements { Requests = new Dictionary<string, ResourceQuantity> { ["nvidia.com/gpu"] = new("1") }, Limits = new Dictionary<string, ResourceQuantity> { ["nvidia.com/gpu"] = new("1") } },
                },
            ],
        },
    };

    [Fact]
    public async Task Monitoring_ShowsUtilisationAndTheGpuHeatMap_AndAGpuPodTakesASlotWithoutReload()
    {
        await SeedHistoryAsync();
        var page = await browser.OpenAsync(_server.BaseUrl + "/monitoring?range=1h");

        await Assertions.Expect(page.GetByTestId("live-indicator")).ToContainTextAsync("Live", new() { Timeout = 15000 });
        await Assertions.Expect(page.GetByTestId("chart-cpu").Locator("svg").First).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("gpu-node")).ToHaveCountAsync(3);
        await Assertions.Expect(page.GetByTestId("gpu-slot-used")).ToHaveCountAsync(0);
        await page.ScreenshotAsync("monitoring");

        using var k8s = await SandboxAsync();
        await k8s.CoreV1.CreateNamespacedPodAsync(GpuPod("gpu-train-0"), "studio-local", cancellationToken: Ct);

        var used = page.GetByTestId("gpu-slot-used");
        await Assertions.Expect(used).ToHaveCountAsync(1, new() { Timeout = 15000 });
        await Assertions.Expect(used.First).ToHaveAttributeAsync("data-owner", "default");
        await Assertions.Expect(page.GetByTestId("gpu-legend")).ToContainTextAsync("default");
        await page.ScreenshotAsync("monitoring-gpu-used");

        var darkAll = await browser.OpenAsync(_server.BaseUrl + "/monitoring?range=1h", dark: true);
        await Assertions.Expect(darkAll.GetByTestId("chart-pods").Locator("svg").First).ToBeVisibleAsync(new() { Timeout = 15000 });
        await darkAll.ScreenshotAsync("monitoring-dark");

        // Every point of a chart has a hover band with its time and values as a native tooltip (no script, no handler).
        var bands = darkAll.GetByTestId("chart-cpu").Locator(".studio-chart-tips rect");
        Assert.True(await bands.CountAsync() >= 2);
        Assert.Matches(@"^\d\d:\d\d · .+ cores requested$", await bands.Last.Locator("title").TextContentAsync());
        await bands.Last.HoverAsync();
        await darkAll.ScreenshotAsync("monitoring-dark-hover");

        var dark = await browser.OpenAsync(_server.BaseUrl + "/monitoring?range=24h&pool=gpua100", dark: true);
        await Assertions.Expect(dark.GetByTestId("gpu-slot-used")).ToHaveCountAsync(1, new() { Timeout = 15000 });
        await dark.ScreenshotAsync("monitoring-dark-pool");
    }

    [Fact]
    public async Task Monitoring_UnknownCluster_SaysSo()
    {
        var page = await browser.OpenAsync(_server.BaseUrl + "/monitoring?cluster=nope");

        await Assertions.Expect(page.GetByTestId("empty-state")).ToContainTextAsync("Cluster 'nope' is not registered, or you cannot see it.", new() { Timeout = 15000 });
        await page.ScreenshotAsync("monitoring-unknown-cluster");
    }

    [Fact]
    public async Task Wall_RendersFullScreen_RotatesPanels_AndANodeChangeShowsWithoutReload()
    {
        await SeedHistoryAsync();
        var page = await browser.OpenAsync(_server.BaseUrl + "/monitor/wall?cluster=sandbox&rotate=5");

        await Assertions.Expect(page.GetByTestId("wall-cluster")).ToHaveTextAsync("Sandbox cluster", new() { Timeout = 15000 });
        await Assertions.Expect(page.GetByTestId("wall-panel-utilisation")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("nav, .mud-appbar, .mud-drawer")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("body")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("studio-wall-body"));
        await Assertions.Expect(page.GetByTestId("wall")).ToContainTextAsync("7 / 7 nodes");
        await page.ScreenshotAsync("wall-utilisation");

        using var k8s = await SandboxAsync();
        var nodes = await k8s.CoreV1.ListNodeAsync(cancellationToken: Ct);
        await k8s.CoreV1.PatchNodeStatusAsync(new V1Patch("""{"status":{"conditions":[{"type":"Ready","status":"False"}]}}""", V1Patch.PatchType.StrategicMergePatch), nodes.Items[0].Metadata.Name, cancellationToken: Ct);
        await Assertions.Expect(page.GetByTestId("wall")).ToContainTextAsync("6 / 7 nodes", new() { Timeout = 15000 });

        await Assertions.Expect(page.GetByTestId("wall-panel-gpus")).ToBeVisibleAsync(new() { Timeout = 15000 });
        await page.ScreenshotAsync("wall-gpus");
        await Assertions.Expect(page.GetByTestId("wall-panel-workloads")).ToBeVisibleAsync(new() { Timeout = 15000 });
        await page.ScreenshotAsync("wall-workloads");
    }

    [Fact]
    public async Task Monitoring_AJobsStatusChangesInTheBrowser_WithoutReload()
    {
        var page = await browser.OpenAsync(_server.BaseUrl + "/monitoring?range=1h");
        await Assertions.Expect(page.GetByTestId("jobs-by-state")).ToContainTextAsync("No jobs on this cluster", new() { Timeout = 15000 });
        await page.ScreenshotAsync("monitoring-no-jobs");

        var admin = new Studio.Domain.Workspaces.Actor("local-admin", "Local administrator", Studio.Domain.Workspaces.WorkspaceRole.Administrator);
        var spec = new Studio.Domain.Jobs.JobSpec { Compute = "local-sandbox", Command = "sleep 4", Image = "mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu22.04:20240101" };
        var submitted = await _server.Services.GetRequiredService<Studio.Infrastructure.Jobs.JobSubmissionService>().SubmitAsync(admin, "default", spec, Ct);
        Assert.True(submitted.IsSuccess, string.Join("; ", submitted.Errors.Select(e => e.Message)));

        await Assertions.Expect(page.GetByTestId("state-Running").Or(page.GetByTestId("state-Starting")).Or(page.GetByTestId("state-Queued")).First).ToBeVisibleAsync(new() { Timeout = 20000 });
        await Assertions.Expect(page.GetByTestId("queue-row")).ToContainTextAsync("default / local-sandbox");
        await Assertions.Expect(page.GetByTestId("state-Completed")).ToContainTextAsync("Completed 1", new() { Timeout = 30000 });
        await page.ScreenshotAsync("monitoring-job-completed");
    }
}
