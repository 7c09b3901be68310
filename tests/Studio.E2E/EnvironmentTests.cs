using Microsoft.Playwright;
using Studio.E2E.Shared;

namespace Studio.E2E;

public sealed class EnvironmentTests(Browser browser) : IClassFixture<Browser>, IAsyncLifetime
{
    private StudioServer _server = null!;

    public ValueTask InitializeAsync()
    {
        _server = new StudioServer();
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task RegisterEnvironment_TwoVersions_ListsBothWithTheirReferences()
    {
        var page = await browser.OpenAsync(_server.BaseUrl + "/environments");
        var dialog = page.GetByTestId("environment-dialog");

        await Assertions.Expect(page.GetByTestId("environments-grid")).ToContainTextAsync("Curated");
        await page.ScreenshotAsync("environments-curated");
        await page.ClickUntilVisibleAsync(page.GetByTestId("register-environment"), dialog);
        await page.GetByTestId("environment-name").FillAsync("pytorch-train-with-a-rather-long-descriptive-name");
        await page.GetByTestId("environment-image").FillAsync("Not An Image");
        await page.GetByTestId("environment-submit").ClickAsync();
        await Assertions.Expect(dialog.Locator(".mud-input-control.mud-input-error").Filter(new() { HasText = "contains spaces" })).ToBeVisibleAsync();
        await page.ScreenshotAsync("environment-invalid-image");

        await page.GetByTestId("environment-image").FillAsync("myregistry.azurecr.io/pytorch-train:2.4.0");
        await page.GetByTestId("environment-submit").ClickAsync();
        await Assertions.Expect(dialog).ToBeHiddenAsync();
        await page.ClickUntilVisibleAsync(page.GetByTestId("register-environment"), dialog);
        await page.GetByTestId("environment-name").FillAsync("pytorch-train-with-a-rather-long-descriptive-name");
        await page.GetByTestId("environment-image").FillAsync("myregistry.azurecr.io/pytorch-train:latest");
        await Assertions.Expect(page.GetByTestId("environment-image-warning").First).ToContainTextAsync("pin a version");
        await page.GetByTestId("environment-submit").ClickAsync();
        await Assertions.Expect(dialog).ToBeHiddenAsync();

        var grid = page.GetByTestId("environments-grid");
        await Assertions.Expect(page.GetByTestId("copy-pytorch-train-with-a-rather-long-descriptive-name-2")).ToBeVisibleAsync();
        await Assertions.Expect(grid).ToContainTextAsync("pytorch-train:2.4.0");
        await page.ScreenshotAsync("environments-registered");

        var dark = await browser.OpenAsync(_server.BaseUrl + "/environments?shared=false", dark: true);
        await Assertions.Expect(dark.GetByTestId("environments-grid")).ToContainTextAsync("pytorch-train:2.4.0");
        await Assertions.Expect(dark.GetByTestId("environments-grid")).Not.ToContainTextAsync("Curated");
        await dark.ScreenshotAsync("environments-dark");
    }
}
