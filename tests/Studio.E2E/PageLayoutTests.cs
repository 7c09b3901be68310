using System.Net.Http.Json;
using Microsoft.Playwright;
using Studio.E2E.Shared;

namespace Studio.E2E;

/// <summary>
/// The list and detail pages at the two common laptop sizes, light and dark, with many rows and long names: nothing
/// spills sideways out of the page (wide grids scroll inside themselves), and the list shell keeps its filter in the
/// URL. Every page is photographed into test-artifacts (layout-*.png) for a person to look at.
/// </summary>
public sealed class PageLayoutTests(Browser browser) : IClassFixture<Browser>, IAsyncLifetime
{
    private const string LongName = "vision-research-long-workspace-01";
    private StudioServer _server = null!;

    public ValueTask InitializeAsync()
    {
        _server = new StudioServer();
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task ListAndDetailPages_AtLaptopSizesInBothThemes_FitTheWindow()
    {
        await SeedAsync(workspaces: 30, environments: 60);
        // An 80-character display name must not push the cluster list's columns off the page.
        using (var api = new HttpClient { BaseAddress = new Uri(_server.BaseUrl) })
        {
            var renamed = await api.PatchAsJsonAsync("/api/clusters/sandbox", new { displayName = "Research GPU sandbox for the computer vision and speech teams in the west region 01" }, TestContext.Current.CancellationToken);
            renamed.EnsureSuccessStatusCode();
        }

        string[] pages =
        [
            "/workspaces", "/w/default/environments", "/w/default/environments?q=no-such-image", "/clusters", "/clusters/sandbox?tab=nodes",
            "/clusters/sandbox", "/w/default/compute", "/w/default/compute/local-sandbox", "/w/default/jobs", "/w/default/jobs/no-such-job", "/w/default/jobs/new",
            "/instance-types", "/instance-types?tab=board", "/w/default/data", "/w/default/data?tab=datastores", "/w/default/models",
            "/clusters/sandbox?tab=pods", "/clusters/sandbox/nodes/aks-gpua100-10055433-vmss000000", "/clusters/sandbox/nodes/aks-gpua100-10055433-vmss000000?tab=labels",
        ];

        var clippedGrids = new List<string>();
        foreach (var (width, height) in new[] { (1440, 900), (1280, 720) })
        {
            foreach (var dark in new[] { false, true })
            {
                foreach (var path in pages)
                {
                    var page = await browser.OpenAsync(_server.BaseUrl + path, dark, width, height);
                    await Assertions.Expect(page.Locator("h1.studio-title")).ToBeVisibleAsync();
                    await Assertions.Expect(page.Locator(".mud-skeleton")).ToHaveCountAsync(0, new() { Timeout = 30_000 });
                    var overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - window.innerWidth");
                    Assert.True(overflow <= 1, $"{path} at {width}×{height}{(dark ? " dark" : "")} is {overflow}px wider than the window.");
                    // A grid wider than its box scrolls inside it: its last columns (the row actions) are cut off until you scroll.
                    // Below 1440 px a grid that says so (data-scrolls, with a hint above it) may scroll sideways inside itself.
                    var clipped = await page.EvaluateAsync<int>(
                        "narrow => Math.max(0, ...Array.from(document.querySelectorAll('.mud-table-container')).filter(c => !(narrow && c.closest('[data-scrolls]'))).map(c => c.scrollWidth - c.clientWidth))",
                        width < 1440);
                    if (clipped > 1)
                    {
                        clippedGrids.Add($"{path} at {width}×{height}{(dark ? " dark" : "")}: a grid is {clipped}px wider than its box.");
                    }

                    await page.ScreenshotAsync($"layout-{Slug(path)}-{width}x{height}-{(dark ? "dark" : "light")}");
                    await page.Context.CloseAsync();
                }
            }
        }

        Assert.True(clippedGrids.Count == 0, string.Join("\n", clippedGrids));
    }

    [Fact]
    public async Task ListShell_Filter_IsInTheUrlAndSurvivesAReload()
    {
        await SeedAsync(workspaces: 30, environments: 0);
        var page = await browser.OpenAsync(_server.BaseUrl + "/workspaces");
        var grid = page.GetByTestId("workspaces-grid");
        await Assertions.Expect(grid.GetByRole(AriaRole.Link, new() { Name = "team-00", Exact = true })).ToBeVisibleAsync();

        // Typing into the prerendered page can land before the circuit listens: type again until the URL follows.
        var filter = page.Locator("input[placeholder='Filter by name or description']");
        for (var attempt = 0; attempt < 20 && !page.Url.EndsWith("?q=team-07", StringComparison.Ordinal); attempt++)
        {
            await filter.FillAsync(string.Empty);
            await filter.FillAsync("team-07");
            await Task.Delay(1000, TestContext.Current.CancellationToken);
        }

        Assert.EndsWith("/workspaces?q=team-07", page.Url, StringComparison.Ordinal);
        await Assertions.Expect(grid.Locator("tbody tr")).ToHaveCountAsync(1);

        await page.ReloadAsync();
        await Assertions.Expect(page.Locator("input[placeholder='Filter by name or description']")).ToHaveValueAsync("team-07");
        await Assertions.Expect(page.GetByTestId("workspaces-grid").Locator("tbody tr")).ToHaveCountAsync(1);
        await page.ScreenshotAsync("layout-workspaces-filtered");
    }

    [Fact]
    public async Task ListShell_PageAndSort_AreInTheUrl_SurviveAReload_AndBackGoesToTheFormerPage()
    {
        // default, team-00 … team-59 and the long one: 62 rows, three pages of 25 sorted by name.
        await SeedAsync(workspaces: 60, environments: 0);
        var page = await browser.OpenAsync(_server.BaseUrl + "/workspaces?sort=name&page=1");
        var grid = page.GetByTestId("workspaces-grid");
        await Assertions.Expect(grid.Locator("tbody tr").First).ToContainTextAsync("team-24");

        // The pager's "next" writes page 3 (zero-based 2) into the address; a reload shows page 3 again.
        await page.ClickUntilAsync(page.Locator("button[aria-label='Next page']"), "() => location.search.includes('page=2')");
        await Assertions.Expect(grid.Locator("tbody tr").First).ToContainTextAsync("team-49");
        Assert.Contains("sort=name", page.Url, StringComparison.Ordinal);
        await page.ReloadAsync();
        await Assertions.Expect(page.GetByTestId("workspaces-grid").Locator("tbody tr").First).ToContainTextAsync("team-49");
        await Assertions.Expect(page.GetByTestId("workspaces-grid").Locator("tbody tr")).ToHaveCountAsync(12);
        await page.ScreenshotAsync("layout-workspaces-page-3");

        await page.GoBackAsync();
        await Assertions.Expect(page.GetByTestId("workspaces-grid").Locator("tbody tr").First).ToContainTextAsync("team-24");

        // A shared link in another browser: a page past the end shows the last page, the descending sort the last names first.
        var shared = await browser.OpenAsync(_server.BaseUrl + "/workspaces?sort=name&desc=true&page=40");
        await Assertions.Expect(shared.GetByTestId("workspaces-grid").Locator("tbody tr").First).ToContainTextAsync("team-10");
        await shared.WaitForFunctionAsync("() => location.search.includes('page=2')");
    }

    private async Task SeedAsync(int workspaces, int environments)
    {
        var ct = TestContext.Current.CancellationToken;
        using var api = new HttpClient { BaseAddress = new Uri(_server.BaseUrl) };
        (await api.PostAsJsonAsync("/api/workspaces", new { name = LongName, description = "A workspace whose name and description are both long enough to need ellipsis in narrow columns of the list, which is what this checks." }, ct)).EnsureSuccessStatusCode();
        for (var i = 0; i < workspaces; i++)
        {
            (await api.PostAsJsonAsync("/api/workspaces", new { name = $"team-{i:00}", description = $"Team {i:00} experiments" }, ct)).EnsureSuccessStatusCode();
        }

        for (var i = 0; i < environments; i++)
        {
            (await api.PostAsJsonAsync("/api/workspaces/default/environments", new { name = $"pytorch-train-with-a-rather-long-descriptive-name-{i % 6}", image = $"myregistry.azurecr.io/research/pytorch-train-distributed:2.4.{i}", description = "seeded" }, ct)).EnsureSuccessStatusCode();
        }
    }

    private static string Slug(string path) =>
        new([.. path.Trim('/').Select(c => char.IsLetterOrDigit(c) ? c : '-')]);
}
