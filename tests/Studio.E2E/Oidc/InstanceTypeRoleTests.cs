using Microsoft.Playwright;
using Studio.E2E.Shared;
using static Microsoft.Playwright.Assertions;

namespace Studio.E2E.Oidc;

/// <summary>
/// Instance types across roles, signed in at the real OpenID Connect provider: the IT admin (alice) creates
/// <c>gpu-1x-a100</c> in the form; a data scientist (dana) sees it on the availability board, read-only.
/// </summary>
[Collection(OidcCollection.Name)]
public sealed class InstanceTypeRoleTests(OidcEnvironment environment)
{
    private const float Slow = 20_000;

    [Fact]
    public async Task ItAdminCreatesGpu1xA100_DataScientistSeesItAvailableWithOneReplica_ReadOnly()
    {
        await using var studio = new OidcStudioFactory(environment.Provider.Issuer, sandbox: true);
        studio.StartServer();
        var url = new Uri(studio.BaseAddress, "/instance-types?cluster=sandbox").ToString();

        await using (var admin = await environment.NewBrowserContextAsync())
        {
            var page = await admin.NewPageAsync();
            await page.GotoAsync(url);
            await SignInAsync(page, "alice");
            await Expect(page.GetByTestId("it-grid")).ToContainTextAsync("defaultinstancetype", new() { Timeout = Slow });
            var dialog = page.GetByTestId("instance-type-dialog");
            await page.ClickUntilVisibleAsync(page.GetByTestId("it-new"), dialog);
            await page.Locator("input[data-testid=it-name]").FillAsync("gpu-1x-a100");
            await page.GetByTestId("it-selector-add").ClickAsync();
            await page.Locator("input[data-testid=it-selector-key-0]").FillAsync("agentpool");
            await page.GetByText("agentpool", new() { Exact = true }).ClickAsync();
            await Expect(page.Locator("input[data-testid=it-selector-key-0]")).ToHaveValueAsync("agentpool");
            await page.Locator("input[data-testid=it-selector-value-0]").ClickAsync();
            await page.Locator("input[data-testid=it-selector-value-0]").PressSequentiallyAsync("gpua100");
            await page.GetByText("gpua100", new() { Exact = true }).ClickAsync();
            await page.Locator("input[data-testid=it-request-cpu]").FillAsync("8");
            await page.Locator("input[data-testid=it-request-memory]").FillAsync("64Gi");
            await page.Locator("input[data-testid=it-limit-cpu]").FillAsync("16");
            await page.Locator("input[data-testid=it-limit-memory]").FillAsync("128Gi");
            await page.Locator("input[data-testid=it-limit-gpu]").FillAsync("1");
            await Expect(page.GetByTestId("it-fit")).ToContainTextAsync("1 matching node(s) · 1 fit now");
            await page.GetByTestId("it-save").ClickAsync();
            await Expect(dialog).ToBeHiddenAsync();
            await Expect(page.Locator("[data-testid=it-row][data-name=gpu-1x-a100]")).ToBeVisibleAsync();
        }

        await using var scientist = await environment.NewBrowserContextAsync();
        var board = await scientist.NewPageAsync();
        await board.GotoAsync(url + "&tab=board");
        await SignInAsync(board, "dana");
        var card = board.Locator("[data-testid=board-card][data-name=gpu-1x-a100]");
        await Expect(card.GetByTestId("availability-badge")).ToContainTextAsync("Available now · 1", new() { Timeout = Slow });
        await Expect(card.GetByTestId("board-matching")).ToHaveTextAsync("1");
        await Expect(card.GetByTestId("board-gpus")).ToHaveTextAsync("1");
        await Expect(board.GetByTestId("it-new")).ToHaveCountAsync(0);
        await Expect(board.GetByTestId("it-import")).ToHaveCountAsync(0);
        await board.ScreenshotAsync(new() { Path = Path.Combine(OidcEnvironment.ArtifactsFolder, "instance-types-board-data-scientist.png"), FullPage = true });
        // The board re-renders live while the tab is clicked; under load one click landed on a header being replaced.
        await board.ClickUntilVisibleAsync(board.GetByRole(AriaRole.Tab).Filter(new() { HasText = "Catalog" }), board.Locator("[data-testid=it-row][data-name=gpu-1x-a100]"));
        await Expect(board.Locator("[data-testid=it-edit-gpu-1x-a100]")).ToHaveCountAsync(0);
    }

    /// <summary>Signs in at the provider and waits for the instance types page to be back.</summary>
    private static async Task SignInAsync(IPage page, string login)
    {
        await OidcEnvironment.SignInAtProviderAsync(page, login);
        await Expect(page.GetByTestId("it-tabs").Or(page.GetByTestId("it-problem"))).ToBeVisibleAsync(new() { Timeout = Slow });
    }
}
