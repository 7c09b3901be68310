using Microsoft.Playwright;
using Studio.E2E.Shared;

namespace Studio.E2E;

public sealed class ComputeTests(Browser browser) : IClassFixture<Browser>, IAsyncLifetime
{
    private StudioServer _server = null!;

    public ValueTask InitializeAsync()
    {
        _server = new StudioServer();
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task ItAdmin_InstallsTheExtension_AttachesTheSandboxWithANewNamespace_AndSeesItSucceeded()
    {
        // Install (the embedded default already installed it: applying the plan again converges).
        var page = await browser.OpenAsync(_server.BaseUrl + "/clusters/sandbox");
        var extensionDialog = page.GetByTestId("extension-dialog");
        await Assertions.Expect(page.GetByTestId("extension-state")).ToContainTextAsync("Healthy", new() { Timeout = 15000 });
        await page.ClickUntilVisibleAsync(page.GetByTestId("extension-install"), extensionDialog);
        await page.GetByTestId("extension-plan-button").ClickAsync();
        await Assertions.Expect(page.GetByTestId("extension-plan")).ToContainTextAsync("CustomResourceDefinition instancetypes.amlarc.azureml.com");
        await page.ScreenshotAsync("extension-plan");
        await page.GetByTestId("extension-apply").ClickAsync();
        await Assertions.Expect(extensionDialog).ToBeHiddenAsync();
        await Assertions.Expect(page.GetByTestId("check-crd")).ToContainTextAsync("Established");
        await page.ScreenshotAsync("extension-health");

        // Attach to 'default' with a new namespace.
        page = await browser.OpenAsync(_server.BaseUrl + "/compute");
        await Assertions.Expect(page.GetByTestId("state-local-sandbox")).ToContainTextAsync("Succeeded", new() { Timeout = 15000 });
        var attachDialog = page.GetByTestId("attach-dialog");
        await page.ClickUntilVisibleAsync(page.GetByTestId("attach-compute"), attachDialog);
        await page.Locator("input[data-testid=attach-name]").FillAsync("team-a");
        await page.Locator("input[data-testid=attach-namespace]").FillAsync("team-a");
        await page.GetByTestId("attach-preflight").ClickAsync();
        await Assertions.Expect(page.GetByTestId("check-extension")).ToContainTextAsync("Installed and healthy");
        await page.GetByText("Create namespace 'team-a'").ClickAsync();
        await page.ScreenshotAsync("attach-preflight");
        await page.GetByTestId("attach-submit").ClickAsync();

        await Assertions.Expect(attachDialog).ToBeHiddenAsync();
        await Assertions.Expect(page.GetByTestId("state-team-a")).ToContainTextAsync("Succeeded");
        await Assertions.Expect(page.GetByTestId("computes-grid")).ToContainTextAsync("team-a");
        await page.ScreenshotAsync("compute-attached");
    }
}
