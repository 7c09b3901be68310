using Microsoft.Playwright;
using Studio.E2E.Shared;

namespace Studio.E2E;

public sealed class ShellTests(Browser browser) : IClassFixture<Browser>, IAsyncLifetime
{
    private StudioServer _server = null!;

    public ValueTask InitializeAsync()
    {
        _server = new StudioServer();
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Overview_InLocalMode_ShowsShellSignedInAsAdministrator()
    {
        var page = await browser.OpenAsync(_server.BaseUrl);

        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Overview" })).ToBeVisibleAsync();
        foreach (var entry in new[] { "Clusters", "Compute", "Instance types", "Jobs", "Endpoints", "Monitoring", "Administration" })
        {
            await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = entry, Exact = true })).ToBeVisibleAsync();
        }

        await Assertions.Expect(page.GetByTestId("workspace-switcher")).ToContainTextAsync("default");
        await page.ScreenshotAsync("overview-light");
    }

    [Fact]
    public async Task GoTo_CtrlK_FindsTheSandboxComputeTarget_AndEnterOpensIt()
    {
        var page = await browser.OpenAsync(_server.BaseUrl);
        var finder = page.GetByTestId("quick-find");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Overview" })).ToBeVisibleAsync();

        // The shortcut is wired when the circuit's first render is done: press until the finder opens.
        for (var attempt = 0; attempt < 20 && !await finder.IsVisibleAsync(); attempt++)
        {
            await page.Keyboard.PressAsync("Control+k");
            await page.WaitForTimeoutAsync(250);
        }

        await Assertions.Expect(finder).ToBeVisibleAsync();
        // The search box has the page's focus (not ToBeFocused: with other tests' pages open in the same browser this
        // window is not the active one, and that assertion also wants the window focused).
        var box = page.GetByTestId("quick-find-text");
        for (var attempt = 0; attempt < 50 && !await box.EvaluateAsync<bool>("e => e === document.activeElement"); attempt++)
        {
            await page.WaitForTimeoutAsync(100);
        }

        Assert.True(await box.EvaluateAsync<bool>("e => e === document.activeElement"), "The search box does not have the focus.");
        await page.Keyboard.TypeAsync("local-sand");
        await Assertions.Expect(page.GetByTestId("quick-find-text")).ToHaveValueAsync("local-sand");
        var hit = page.GetByTestId("quick-find-hit").Filter(new() { HasText = "Compute target" });
        await Assertions.Expect(hit).ToContainTextAsync("local-sandbox");
        await Assertions.Expect(page.GetByTestId("quick-find-hit").First).ToHaveAttributeAsync("aria-selected", "true");
        await page.ScreenshotAsync("quick-find");
        await page.Keyboard.PressAsync("Enter");

        // A navigation inside the circuit (history.pushState): poll the address rather than wait for a navigation event.
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/w/default/compute/local-sandbox$"), new() { Timeout = 30_000 });
        await Assertions.Expect(finder).ToBeHiddenAsync();
    }

    [Theory]
    [InlineData(false, 1440, 900)]
    [InlineData(true, 1440, 900)]
    [InlineData(false, 1280, 720)]
    [InlineData(true, 1280, 720)]
    public async Task GoTo_Button_OpensTheFinder_ListingPagesAndObjects(bool dark, int width, int height)
    {
        var page = await browser.OpenAsync(_server.BaseUrl + "/w/default/jobs", dark, width, height);
        var finder = page.GetByTestId("quick-find");

        await page.ClickUntilVisibleAsync(page.GetByTestId("quick-find-open"), finder);
        await page.GetByTestId("quick-find-text").PressSequentiallyAsync("s");
        await Assertions.Expect(page.GetByTestId("quick-find-hit").Filter(new() { HasText = "Cluster" }).First).ToContainTextAsync("sandbox");

        await page.ScreenshotAsync($"quick-find-{(dark ? "dark" : "light")}-{width}x{height}");
    }

    [Fact]
    public async Task CreateWorkspace_ThroughDialog_AppearsInGridAndSwitcher()
    {
        var page = await browser.OpenAsync(_server.BaseUrl + "/workspaces");
        var dialog = page.GetByTestId("workspace-dialog");

        await page.ClickUntilVisibleAsync(page.GetByTestId("create-workspace"), dialog);
        await page.GetByTestId("workspace-name").FillAsync("vision-team");
        await page.GetByTestId("workspace-description").FillAsync("Computer vision experiments");
        await page.GetByTestId("workspace-submit").ClickAsync();

        await Assertions.Expect(dialog).ToBeHiddenAsync();
        await Assertions.Expect(page.GetByTestId("workspaces-grid")).ToContainTextAsync("vision-team");
        var item = page.GetByRole(AriaRole.Menuitem).Filter(new() { HasText = "vision-team" });
        await page.ClickUntilVisibleAsync(page.GetByTestId("workspace-switcher").Locator("button").First, item);
        await page.ScreenshotAsync("switcher-open");
        await item.ClickAsync();
        await Assertions.Expect(page.GetByTestId("workspace-switcher")).ToContainTextAsync("vision-team");
        await page.ScreenshotAsync("workspaces-after-create");
    }

    [Fact]
    public async Task CreateWorkspace_WithInvalidName_ShowsFieldMessageAndKeepsDialogOpen()
    {
        var page = await browser.OpenAsync(_server.BaseUrl + "/workspaces");
        var dialog = page.GetByTestId("workspace-dialog");

        await page.ClickUntilVisibleAsync(page.GetByTestId("create-workspace"), dialog);
        await page.GetByTestId("workspace-name").FillAsync("bad name!");
        await page.GetByTestId("workspace-submit").ClickAsync();

        await page.ScreenshotAsync("workspace-invalid-name");
        await Assertions.Expect(page.Locator(".mud-dialog .mud-input-control.mud-input-error")).ToContainTextAsync("Use only letters, digits, hyphens (-) and underscores (_).");
        await Assertions.Expect(dialog).ToBeVisibleAsync();
        await page.ScreenshotAsync("workspace-invalid-name");
    }

    [Fact]
    public async Task ThemeToggle_IsRememberedAcrossReloads()
    {
        var page = await browser.OpenAsync(_server.BaseUrl);

        await page.ClickUntilAsync(page.GetByTestId("theme-toggle"), "() => document.cookie.includes('studio-theme=dark')");
        await page.ReloadAsync();

        // MudBlazor's dark palette paints the app bar #161b2b (light: #1f2a44).
        await Assertions.Expect(page.Locator("header.mud-appbar")).ToHaveCSSAsync("background-color", "rgb(22, 27, 43)");
        var cookies = await page.Context.CookiesAsync();
        Assert.Contains(cookies, c => c.Name == "studio-theme" && c.Value == "dark");
        await page.ScreenshotAsync("overview-dark");
    }

    [Fact]
    public async Task Drawer_OnANarrowScreen_IsHiddenUntilToggled_ThenCoversThePage()
    {
        var page = await browser.OpenAsync(_server.BaseUrl);
        await page.SetViewportSizeAsync(600, 800);
        await page.ReloadAsync();
        var drawer = page.GetByTestId("drawer");
        var jobs = drawer.GetByRole(AriaRole.Link, new() { Name = "Jobs", Exact = true });
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Overview" })).ToBeVisibleAsync();
        await Assertions.Expect(jobs).ToBeHiddenAsync();
        await page.ScreenshotAsync("shell-narrow-closed");

        await page.ClickUntilVisibleAsync(page.GetByTestId("drawer-toggle"), jobs);
        await page.ScreenshotAsync("shell-narrow-open");
        await jobs.ClickAsync();

        // Navigating closes it again (slid out to the left: off screen, which Playwright still counts as visible).
        await page.WaitForURLAsync("**/jobs", PageExtensions.SlowNavigation);
        await Assertions.Expect(drawer).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("mud-drawer--closed"));
        await page.WaitForFunctionAsync("() => document.querySelector('[data-testid=drawer]').getBoundingClientRect().right <= 0");
        await page.ScreenshotAsync("shell-narrow-after-navigation");
    }

    [Fact]
    public async Task UnknownAddress_ShowsFriendly404Page()
    {
        var page = await browser.OpenAsync(_server.BaseUrl + "/does/not/exist");

        await Assertions.Expect(page.GetByText("There is nothing at this address")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Clusters_InEmbeddedDefault_ListsTheRunningSandbox()
    {
        var page = await browser.OpenAsync(_server.BaseUrl + "/clusters");

        var grid = page.GetByTestId("clusters-grid");
        await Assertions.Expect(grid).ToContainTextAsync("Sandbox cluster");
        await grid.GetByRole(AriaRole.Link, new() { Name = "Sandbox cluster" }).ClickAsync();
        await page.WaitForURLAsync("**/clusters/sandbox", PageExtensions.SlowNavigation);
        var subtitle = await page.GetByText(new System.Text.RegularExpressions.Regex("^Sandbox · http://127\\.0\\.0\\.1:\\d+")).InnerTextAsync();
        var server = subtitle.Split(" · ")[1];
        using var http = new HttpClient();
        var version = await http.GetStringAsync(server + "/version", TestContext.Current.CancellationToken);
        Assert.Contains("gitVersion", version, StringComparison.Ordinal);
        await page.ScreenshotAsync("clusters");
    }
}
