using System.Text;
using k8s;
using k8s.Models;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Studio.E2E.Shared;
using Studio.Sandbox.Hosting;

namespace Studio.E2E;

public sealed class ClusterTests(Browser browser) : IClassFixture<Browser>, IAsyncLifetime
{
    private StudioServer _server = null!;

    public ValueTask InitializeAsync()
    {
        _server = new StudioServer();
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    private async Task<string> SandboxKubeconfigAsync(string context) =>
        (await _server.Services.GetRequiredService<SandboxHost>().Ready).CreateKubeconfigYaml(context);

    [Fact]
    public async Task Clusters_ShowTheSandboxConnectedWithItsNodes()
    {
        var page = await browser.OpenAsync(_server.BaseUrl + "/clusters");

        var grid = page.GetByTestId("clusters-grid");
        await Assertions.Expect(grid.GetByTestId("cluster-status")).ToContainTextAsync("Connected", new() { Timeout = 15000 });
        await Assertions.Expect(grid).ToContainTextAsync("7 / 7 ready");
        await Assertions.Expect(page.GetByTestId("live-indicator")).ToContainTextAsync("Live");
        await Assertions.Expect(grid.GetByTestId("extension-state")).ToHaveTextAsync("Healthy", new() { Timeout = 15000 });
        await page.ScreenshotAsync("clusters-live");
    }

    [Fact]
    public async Task AddCluster_ByKubeconfig_OpensItsPageWithPools()
    {
        var page = await browser.OpenAsync(_server.BaseUrl + "/clusters");
        var dialog = page.GetByTestId("add-cluster-dialog");

        await page.ClickUntilVisibleAsync(page.GetByTestId("add-cluster"), dialog);
        await page.GetByTestId("kubeconfig").FillAsync(await SandboxKubeconfigAsync("team-gpu"));
        await page.GetByTestId("inspect").ClickAsync();
        await Assertions.Expect(page.GetByTestId("cluster-name")).ToHaveValueAsync("team-gpu");
        await page.GetByTestId("check-connection").ClickAsync();
        await Assertions.Expect(page.GetByTestId("connection-report")).ToContainTextAsync("Connected to");
        await page.ScreenshotAsync("add-cluster-checked");
        await page.GetByTestId("register-cluster").ClickAsync();

        await page.WaitForURLAsync("**/clusters/team-gpu", PageExtensions.SlowNavigation);
        await Assertions.Expect(page.GetByTestId("pools-table")).ToContainTextAsync("gpu", new() { Timeout = 15000 });
        await page.ScreenshotAsync("cluster-detail");
    }

    [Fact]
    public async Task AddCluster_WithFileReference_ShowsTheFieldAndSavesNothing()
    {
        var page = await browser.OpenAsync(_server.BaseUrl + "/clusters");
        var dialog = page.GetByTestId("add-cluster-dialog");
        var kubeconfig = (await SandboxKubeconfigAsync("bad")).Replace("token: ", "tokenFile: /etc/secret\n    token: ", StringComparison.Ordinal);

        await page.ClickUntilVisibleAsync(page.GetByTestId("add-cluster"), dialog);
        await page.GetByTestId("kubeconfig").FillAsync(kubeconfig);
        await page.GetByTestId("inspect").ClickAsync();

        await Assertions.Expect(page.GetByTestId("kubeconfig-error")).ToContainTextAsync("users[0].user.tokenFile");
        await page.ScreenshotAsync("add-cluster-refused");
    }

    [Fact]
    public async Task ClusterDetail_NodeMadeNotReady_ChangesLive()
    {
        var page = await browser.OpenAsync(_server.BaseUrl + "/clusters/sandbox?tab=nodes");
        var grid = page.GetByTestId("nodes-grid");
        await Assertions.Expect(grid).ToContainTextAsync("aks-system", new() { Timeout = 15000 });
        await Assertions.Expect(grid.GetByText("NotReady")).ToHaveCountAsync(0);

        using var client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(new MemoryStream(Encoding.UTF8.GetBytes(await SandboxKubeconfigAsync("test")))));
        var node = (await client.CoreV1.ListNodeAsync(cancellationToken: TestContext.Current.CancellationToken)).Items.First().Metadata.Name;
        await client.CoreV1.PatchNodeStatusAsync(
            new V1Patch("""{"status":{"conditions":[{"type":"Ready","status":"False","reason":"KubeletNotReady"}]}}""", V1Patch.PatchType.StrategicMergePatch),
            node,
            cancellationToken: TestContext.Current.CancellationToken);

        await Assertions.Expect(grid.GetByRole(AriaRole.Row).Filter(new() { HasText = node })).ToContainTextAsync("NotReady");
        await page.ScreenshotAsync("cluster-nodes-notready");
    }

    [Fact]
    public async Task DrillDown_FromTheClusterToANodeToItsPods()
    {
        using var client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(new MemoryStream(Encoding.UTF8.GetBytes(await SandboxKubeconfigAsync("test")))));
        const string node = "aks-cpu-10023757-vmss000000";
        await client.CoreV1.CreateNamespacedPodAsync(
            new V1Pod
            {
                Metadata = new V1ObjectMeta { Name = "drill-e2e", Annotations = new Dictionary<string, string> { ["sandbox.studio/pull-seconds"] = "0", ["sandbox.studio/run-seconds"] = "3600" } },
                Spec = new V1PodSpec
                {
                    RestartPolicy = "Never",
                    NodeSelector = new Dictionary<string, string> { ["kubernetes.io/hostname"] = node },
                    Containers = [new V1Container { Name = "main", Image = "busybox", Command = ["sleep", "3600"], Resources = new V1ResourceRequirements { Requests = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("1500m") } } }],
                },
            },
            "default",
            cancellationToken: TestContext.Current.CancellationToken);

        foreach (var (width, height) in new[] { (1440, 900), (1280, 720) })
        {
            foreach (var dark in new[] { false, true })
            {
                var suffix = $"{width}x{height}-{(dark ? "dark" : "light")}";
                var page = await browser.OpenAsync(_server.BaseUrl + "/clusters/sandbox?tab=nodes", dark, width, height);
                var link = page.GetByTestId("nodes-grid").GetByRole(AriaRole.Link, new() { Name = node, Exact = true });
                await page.ClickUntilAsync(link, $"() => location.pathname.endsWith('/nodes/{node}')");

                var pods = page.GetByTestId("node-pods");
                await Assertions.Expect(pods).ToContainTextAsync("drill-e2e", new() { Timeout = 30_000 });
                await Assertions.Expect(page.GetByTestId("node-status")).ToHaveTextAsync("Ready");
                await Assertions.Expect(page.GetByTestId("node-resources")).ToContainTextAsync("1.5 / ");
                Assert.Equal(dark, await page.EvaluateAsync<bool>("() => { const [r, g, b] = getComputedStyle(document.body).backgroundColor.match(/\\d+/g).map(Number); return r + g + b < 150; }"));
                await page.ScreenshotAsync($"drill-node-{suffix}");

                await page.GetByRole(AriaRole.Link, new() { Name = "Open in the cluster's pods tab" }).ClickAsync();
                await page.WaitForURLAsync($"**/clusters/sandbox?tab=pods&node={node}", PageExtensions.SlowNavigation);
                var grid = page.GetByTestId("pods-grid");
                await Assertions.Expect(grid).ToContainTextAsync("drill-e2e", new() { Timeout = 30_000 });
                await Assertions.Expect(grid.GetByTestId("pod-node-link").First).ToHaveTextAsync(node);
                await Assertions.Expect(page.GetByTestId("pods-node-filter")).ToContainTextAsync(node);
                await page.ScreenshotAsync($"drill-pods-{suffix}");
                await page.Context.CloseAsync();
            }
        }
    }
}
