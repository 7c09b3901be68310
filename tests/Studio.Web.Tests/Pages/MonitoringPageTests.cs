using Bunit;
using k8s;
using k8s.Models;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Studio.Domain.Workspaces;
using Studio.Infrastructure.Clusters;
using Studio.Infrastructure.Monitoring;
using Studio.Infrastructure.Persistence;
using Studio.Sandbox;
using Studio.Web.Components.Pages;
using Studio.Web.Model;
using Studio.Web.Security;
using Studio.Web.Tests.Shared;

namespace Studio.Web.Tests.Pages;

/// <summary>The monitoring page and the wall view against a sandbox cluster with sampled history.</summary>
public sealed class MonitoringPageTests : StudioTestContext
{
    private static readonly Actor Admin = new("admin", "Admin", WorkspaceRole.Administrator);

    public MonitoringPageTests()
    {
        Services.AddStudioJobs(new ConfigurationBuilder().Build());
        Services.AddSingleton<MetricHistory>();
        Services.AddSingleton<SharedChartHistory>();
        Services.AddSingleton<GpuHeatMapRows>();
        Services.AddTransient<MonitoringSession>();
    }

    private static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    private async Task<SandboxServer> ClusterWithHistoryAsync()
    {
        var sandbox = await SandboxServer.StartAsync(new SandboxOptions { Port = 0 }, Ct);
        var registered = await Services.GetRequiredService<ClusterService>().RegisterAsync(Admin, new RegisterClusterRequest("lab", null, sandbox.CreateKubeconfigYaml(), null), Ct);
        Assert.True(registered.IsSuccess, string.Join("; ", registered.Errors.Select(e => e.Message)));
        await using var db = await Services.GetRequiredService<IDbContextFactory<StudioDbContext>>().CreateDbContextAsync(Ct);
        var now = DateTimeOffset.UtcNow;
        for (var i = 10; i >= 1; i--)
        {
            db.MetricSamples.Add(new MetricSample
            {
                ClusterId = registered.Value.Id,
                Pool = MetricSample.ClusterTotal,
                At = now.AddMinutes(-i),
                Nodes = 7,
                ReadyNodes = 7,
                CpuAllocatableMillis = 60_000,
                CpuRequestedMillis = 1_000 * i,
                MemoryAllocatableBytes = 400L << 30,
                MemoryRequestedBytes = (long)i << 30,
                GpusAllocatable = 3,
                GpusRequested = i % 2,
                PodsRunning = i,
                PodsPending = i % 3,
            });
        }

        await db.SaveChangesAsync(Ct);
        return sandbox;
    }

    private IRenderedComponent<CascadingAuthenticationState> RenderPage<TPage>(Action<ComponentParameterCollectionBuilder<TPage>>? parameters = null)
        where TPage : IComponent
    {
        SignIn("admin", StudioRoles.Administrator);
        Render<MudBlazor.MudPopoverProvider>();
        return Render<CascadingAuthenticationState>(p => p.AddChildContent<TPage>(parameters ?? (_ => { })));
    }

    /// <summary>Components in the rendered tree, by type (most first), for a failure message.</summary>
    private static string Census(IRenderedComponent<CascadingAuthenticationState> cut) =>
        string.Join(", ", cut.FindComponents<IComponent>().GroupBy(c => c.Instance.GetType().Name).OrderByDescending(g => g.Count()).Select(g => $"{g.Key} ×{g.Count()}"));

    /// <summary>
    /// Every component costs each open circuit ≈ 7 KB on the server (two render-tree builders, parameter state); the
    /// page is open in many circuits at once (issue #9: 50 circuits, ≤ 500 KB each). Measured: 54 components with four
    /// line charts (≈ 9 each inside MudChart), the cards, the heat map and the job panels; it was 180 with MudBlazor
    /// components for every text, paper, grid item, icon, select and toggle. The budget leaves ~20 % headroom.
    /// </summary>
    [Fact]
    public async Task Monitoring_WithHistory_ShowsChartsHeatMapAndCards_InAtMost65Components()
    {
        await using var sandbox = await ClusterWithHistoryAsync();

        var cut = RenderPage<Monitoring>();

        cut.WaitForAssertion(() => Assert.Equal(4, cut.FindAll("[data-testid^=chart-] svg.mud-chart-line").Count), TimeSpan.FromSeconds(30));
        cut.WaitForAssertion(() => Assert.Equal(3, cut.FindAll("[data-testid=gpu-node]").Count), TimeSpan.FromSeconds(30));
        cut.WaitForAssertion(() => Assert.Equal("live", cut.Find("[data-testid=live-indicator]").GetAttribute("data-state")), TimeSpan.FromSeconds(30));
        Assert.Equal("7 / 7", cut.Find("[data-testid=monitoring-live] h6").TextContent);
        Assert.Equal("Monitoring", cut.Find("h1").TextContent);
        Assert.Equal("Overview", cut.Find("nav[aria-label=Breadcrumb] li.mud-breadcrumb-item a[href='/']").TextContent);

        var components = cut.FindComponents<IComponent>().Count;
        Assert.True(components <= 65, $"the monitoring page renders {components} components (budget 65): {Census(cut)}");

        // MudChart's tooltips draw a hidden circle with three event handlers per data point and series: with an hour of
        // history (120 samples) that made the page 5.6 MB per circuit instead of 1.8 MB (Pages bench). Lines only.
        Assert.Empty(cut.FindAll("[data-testid^=chart-] circle"));
        Assert.Equal(10, cut.FindAll("[data-testid^=chart-] path.mud-chart-line").Count);
    }

    /// <summary>
    /// Many people watch the same cluster (issue #9: 50 monitoring circuits): every page holds the same history, chart
    /// points and chart series instead of its own copy (memory per circuit, and the charts' 10 s refresh computed once
    /// instead of once per page).
    /// </summary>
    [Fact]
    public async Task TwoMonitoringPages_OnOneCluster_HoldTheSameHistoryChartPointsAndSeries()
    {
        await using var sandbox = await ClusterWithHistoryAsync();
        var shared = Services.GetRequiredService<SharedChartHistory>();

        var first = RenderPage<Monitoring>();
        var second = Render<CascadingAuthenticationState>(p => p.AddChildContent<Monitoring>());

        foreach (var cut in new[] { first, second })
        {
            cut.WaitForAssertion(() => Assert.Equal(4, cut.FindAll("[data-testid^=chart-] svg.mud-chart-line").Count), TimeSpan.FromSeconds(30));
        }

        var pages = new[] { first, second }.Select(c => c.FindComponent<Monitoring>().Instance).ToList();
        Assert.InRange(shared.Loads, 1, 2); // each page opening reads what was sampled until then (unless a read is in flight)

        // The first page moves to the latest shared history and points with its next batch (the live view, 100 ms).
        first.WaitForAssertion(() => Assert.Same(pages[0].Session.ChartHistory, pages[1].Session.ChartHistory), TimeSpan.FromSeconds(30));
        var charts = new[] { first, second }.Select(c => c.FindComponents<Studio.Web.Components.Controls.SharedChart>().Select(s => s.Instance.Series).ToList()).ToList();
        Assert.Equal(4, charts[0].Count);
        Assert.All(charts[0].Zip(charts[1]), pair => Assert.Same(pair.First, pair.Second));

        // The GPU heat map's rows too: built once per live view batch for both people (both administrators).
        first.WaitForAssertion(() => Assert.Same(pages[0].Session.Gpus, pages[1].Session.Gpus), TimeSpan.FromSeconds(30));
        Assert.NotEmpty(pages[0].Session.Gpus);
    }

    [Fact]
    public async Task SharedChartHistory_PagesOpeningWithNothingSampledBetween_HoldOneList_AndANewSampleIsReadAtOnce()
    {
        await using var sandbox = await ClusterWithHistoryAsync();
        var shared = Services.GetRequiredService<SharedChartHistory>();
        var cluster = (await Services.GetRequiredService<ClusterService>().ListAsync(Ct)).Single();
        var hour = TimeSpan.FromHours(1);

        var first = await shared.SamplesAsync(cluster.Id, MetricSample.ClusterTotal, hour, 60, opening: true, Ct);
        var second = await shared.SamplesAsync(cluster.Id, MetricSample.ClusterTotal, hour, 60, opening: true, Ct);

        Assert.Equal(2, shared.Loads); // an opening page always reads what was sampled until now...
        Assert.Same(first, second); // ...and holds the list already loaded when the read found the same samples
        Assert.Equal(10, first.Count);

        await using (var db = await Services.GetRequiredService<IDbContextFactory<StudioDbContext>>().CreateDbContextAsync(Ct))
        {
            db.MetricSamples.Add(new MetricSample { ClusterId = cluster.Id, Pool = MetricSample.ClusterTotal, At = DateTimeOffset.UtcNow, Nodes = 7, ReadyNodes = 7 });
            await db.SaveChangesAsync(Ct);
        }

        var third = await shared.SamplesAsync(cluster.Id, MetricSample.ClusterTotal, hour, 60, opening: true, Ct);
        Assert.NotSame(second, third);
        Assert.Equal(11, third.Count);
        Assert.Same(third, shared.Latest(cluster.Id, MetricSample.ClusterTotal, hour));
    }

    [Fact]
    public async Task Monitoring_Choosers_PutClusterPoolAndRangeInTheUrl()
    {
        await using var sandbox = await ClusterWithHistoryAsync();
        var navigation = Services.GetRequiredService<NavigationManager>();
        navigation.NavigateTo("/monitoring");

        var cut = RenderPage<Monitoring>();

        cut.WaitForAssertion(() => Assert.Contains("gpua100", cut.FindAll("[data-testid=pool-chooser] option").Select(o => o.GetAttribute("value")!)), TimeSpan.FromSeconds(30));
        Assert.Equal(["lab"], cut.FindAll("[data-testid=cluster-chooser] option").Select(o => o.GetAttribute("value")));
        Assert.Equal("All pools", cut.Find("[data-testid=pool-chooser] option").TextContent);

        // A live batch can re-render the page between finding an element and dispatching to it: retry until the URL says so.
        cut.WaitForAssertion(() =>
        {
            cut.Find("[data-testid=pool-chooser]").Change("gpua100");
            Assert.EndsWith("/monitoring?pool=gpua100", navigation.Uri, StringComparison.Ordinal);
        });

        cut.WaitForAssertion(() =>
        {
            cut.FindAll("[data-testid=range-chooser] button").Single(b => b.TextContent == "24h").Click();
            Assert.EndsWith("/monitoring?pool=gpua100&range=24h", navigation.Uri, StringComparison.Ordinal);
        });
        cut.WaitForAssertion(() => Assert.Equal("true", cut.FindAll("[data-testid=range-chooser] button").Single(b => b.TextContent == "24h").GetAttribute("aria-checked")));
        Assert.Equal("false", cut.FindAll("[data-testid=range-chooser] button").Single(b => b.TextContent == "1h").GetAttribute("aria-checked"));
        Assert.Equal("gpua100", cut.Find("[data-testid=pool-chooser]").GetAttribute("value"));

        cut.WaitForAssertion(() =>
        {
            cut.Find("[data-testid=pool-chooser]").Change(string.Empty);
            Assert.EndsWith("/monitoring?range=24h", navigation.Uri, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task Wall_UtilisationPanel_ShowsLargeCharts_InAtMost40Components()
    {
        await using var sandbox = await ClusterWithHistoryAsync();

        Services.GetRequiredService<NavigationManager>().NavigateTo("/monitor/wall?cluster=lab&rotate=0&panel=utilisation");

        var cut = RenderPage<MonitorWall>();

        cut.WaitForAssertion(() => Assert.Equal(3, cut.FindAll("[data-testid=wall-panel-utilisation] svg.mud-chart-line").Count), TimeSpan.FromSeconds(30));
        cut.WaitForAssertion(() => Assert.Contains("7 / 7 nodes", cut.Markup, StringComparison.Ordinal), TimeSpan.FromSeconds(30));
        Assert.Equal("lab", cut.Find("[data-testid=wall-cluster]").TextContent);
        Assert.Empty(cut.FindAll("nav"));

        var components = cut.FindComponents<IComponent>().Count;
        Assert.True(components <= 40, $"the wall's utilisation panel renders {components} components (budget 40): {Census(cut)}");
    }

    [Fact]
    public async Task Wall_Header_CountsRunningPods_NotFinishedOnes()
    {
        await using var sandbox = await ClusterWithHistoryAsync();
        using var client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(sandbox.CreateKubeconfigYaml()))));
        await client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = "wall-pods" } }, cancellationToken: Ct);
        await client.BatchV1.CreateNamespacedJobAsync(new V1Job
        {
            Metadata = new V1ObjectMeta { Name = "done" },
            Spec = new V1JobSpec { Template = new V1PodTemplateSpec { Spec = new V1PodSpec { RestartPolicy = "Never", Containers = [new V1Container { Name = "main", Image = "busybox:1.36", Command = ["echo", "hi"] }] } } },
        }, "wall-pods", cancellationToken: Ct);
        for (var i = 0; i < 200 && !(await client.CoreV1.ListNamespacedPodAsync("wall-pods", cancellationToken: Ct)).Items.Any(p => p.Status?.Phase == "Succeeded"); i++)
        {
            await Task.Delay(100, Ct);
        }

        var pods = (await client.CoreV1.ListPodForAllNamespacesAsync(cancellationToken: Ct)).Items;
        var running = pods.Count(p => p.Status?.Phase == "Running");
        Assert.True(pods.Count > running, "a finished pod exists");
        Services.GetRequiredService<NavigationManager>().NavigateTo("/monitor/wall?cluster=lab&rotate=0&panel=utilisation");

        var cut = RenderPage<MonitorWall>();

        cut.WaitForAssertion(() => Assert.Equal($"{running.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)} pods running", cut.Find("[data-testid=wall-pods]").TextContent.Trim()), TimeSpan.FromSeconds(30));
    }
}
