using System.Net;
using System.Net.Sockets;
using Microsoft.Playwright;
using Studio.E2E.Shared;

namespace Studio.E2E;

/// <summary>The wall display runs unattended: a server restart must not leave it on a "reload the page" dialog.</summary>
public sealed class WallRestartTests(Browser browser) : IClassFixture<Browser>
{
    [Fact]
    public async Task Wall_WhenTheServerRestarts_ComesBackLiveWithoutAManualReload()
    {
        var port = FreePort();
        var folder = Path.Combine(Path.GetTempPath(), "studio-e2e-restart-" + Guid.NewGuid().ToString("N")[..8]);
        var first = new StudioServer(folder, port);
        IPage page;
        try
        {
            page = await browser.OpenAsync(first.BaseUrl + "/monitor/wall?cluster=sandbox");
            await Assertions.Expect(page.GetByTestId("wall-cluster")).ToHaveTextAsync("Sandbox cluster", new() { Timeout = 15000 });
            await Assertions.Expect(page.GetByTestId("wall")).ToContainTextAsync("7 / 7 nodes");
        }
        finally
        {
            await first.DisposeAsync();
        }

        // The server is gone: the page notices (its circuit drops) while nothing answers on the port.
        await Assertions.Expect(page.Locator("#components-reconnect-modal")).ToHaveAttributeAsync("open", "", new() { Timeout = 15000 });
        await Task.Delay(TimeSpan.FromSeconds(2), TestContext.Current.CancellationToken);

        await using var second = new StudioServer(folder, port);

        // Same address, same data, a new process state (new circuit ids, new sandbox): the wall returns by itself.
        await Assertions.Expect(page.GetByTestId("wall-cluster")).ToHaveTextAsync("Sandbox cluster", new() { Timeout = 45000 });
        await Assertions.Expect(page.GetByTestId("wall")).ToContainTextAsync("7 / 7 nodes", new() { Timeout = 15000 });
        await Assertions.Expect(page.Locator("#components-reconnect-modal")).Not.ToHaveAttributeAsync("open", "", new() { Timeout = 15000 });
        await page.ScreenshotAsync("wall-after-restart");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
