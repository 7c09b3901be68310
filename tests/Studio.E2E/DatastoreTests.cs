using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Studio.Domain.Artifacts;
using Studio.Domain.Workspaces;
using Studio.E2E.Shared;
using Studio.Infrastructure.Datastores;

namespace Studio.E2E;

/// <summary>The Data page's Datastores tab in Chromium: an administrator creates a datastore, sees a refused field, tests the connection.</summary>
public sealed class DatastoreTests(Browser browser) : IClassFixture<Browser>, IAsyncLifetime
{
    private static readonly Actor Admin = new("local-admin", "Local administrator", WorkspaceRole.Administrator);
    private StudioServer _server = null!;

    public ValueTask InitializeAsync()
    {
        _server = new StudioServer();
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    private static string ClosedLoopbackUrl(string path)
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return $"http://127.0.0.1:{port}/{path}";
    }

    [Fact]
    public async Task CreateDatastore_RefusedField_ThenCreated_AndTestConnectionNamesTheCause()
    {
        var service = _server.Services.GetRequiredService<DatastoreService>();
        var created = await service.CreateAsync(Admin, "default",
            new DatastoreInput("public_reference_datasets_for_the_natural_language_team_2026", DatastoreKind.Https,
                new DatastoreSettings(ClosedLoopbackUrl("a/very/long/prefix/of/public/reference/datasets/for/the/natural/language/team"), null, Description: "public files"), null),
            TestContext.Current.CancellationToken);
        Assert.True(created.IsSuccess, created.IsSuccess ? null : created.Errors[0].Message);

        var page = await browser.OpenAsync(_server.BaseUrl + "/w/default/data?tab=datastores");
        var dialog = page.GetByTestId("datastore-dialog");
        await Assertions.Expect(page.GetByTestId("datastore-public_reference_datasets_for_the_natural_language_team_2026")).ToBeVisibleAsync();
        await page.ClickUntilVisibleAsync(page.GetByTestId("create-datastore"), dialog);
        await page.GetByTestId("datastore-name").FillAsync("team_blob");
        await page.GetByTestId("datastore-endpoint").FillAsync("ftp://nowhere");
        await page.GetByTestId("datastore-container").FillAsync("training");
        await page.GetByTestId("datastore-account-key").FillAsync(Convert.ToBase64String(new byte[64]));
        await page.GetByTestId("datastore-submit").ClickAsync();
        await Assertions.Expect(dialog.Locator(".mud-input-control.mud-input-error").Filter(new() { HasText = "storage account" })).ToBeVisibleAsync();
        await page.ScreenshotAsync("datastore-create-refused");

        await page.GetByTestId("datastore-endpoint").FillAsync("http://127.0.0.1:9/devstoreaccount1");
        await page.GetByTestId("datastore-submit").ClickAsync();
        await Assertions.Expect(dialog).ToBeHiddenAsync();
        await Assertions.Expect(page.GetByTestId("datastore-team_blob")).ToBeVisibleAsync();

        await page.GetByTestId("test-datastore-public_reference_datasets_for_the_natural_language_team_2026").ClickAsync();
        await Assertions.Expect(page.GetByTestId("datastore-test-public_reference_datasets_for_the_natural_language_team_2026")).ToHaveTextAsync("unreachable", new() { Timeout = 30_000 });
        await Assertions.Expect(page.GetByTestId("datastore-test-result")).ToBeVisibleAsync();
        await page.ScreenshotAsync("datastores-1440-light");

        foreach (var (dark, width, height) in new[] { (true, 1440, 900), (false, 1280, 720), (true, 1280, 720) })
        {
            var other = await browser.OpenAsync(_server.BaseUrl + "/w/default/data?tab=datastores", dark, width, height);
            await Assertions.Expect(other.GetByTestId("datastore-team_blob")).ToBeVisibleAsync();
            await other.ScreenshotAsync($"datastores-{width}-{(dark ? "dark" : "light")}");
            await other.Context.CloseAsync();
        }
    }
}
