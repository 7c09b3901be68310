using Microsoft.Playwright;

namespace Studio.E2E.Shared;

/// <summary>Debian's Chromium driven by Playwright (never a downloaded browser).</summary>
public sealed class Browser : IAsyncLifetime
{
    private IPlaywright? _playwright;

    public IBrowser Instance { get; private set; } = null!;

    public static string ArtifactsFolder { get; } = Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "test-artifacts")).FullName;

    public async ValueTask InitializeAsync()
    {
        var executable = Environment.GetEnvironmentVariable("STUDIO_CHROMIUM") ?? "/usr/bin/chromium";
        if (!File.Exists(executable))
        {
            throw new InvalidOperationException($"Chromium was not found at {executable}. Install Debian's 'chromium' package (the README's test command does) or set STUDIO_CHROMIUM.");
        }

        // Two shared cores run every test project at once in CI: give live updates time instead of failing at 5 s.
        Assertions.SetDefaultExpectTimeout(15_000);
        _playwright = await Playwright.CreateAsync();
        Instance = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = executable,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
        });
    }

    /// <summary>A fresh page at a laptop-sized viewport (1366×800 unless given), with Blazor's circuit connected.</summary>
    public async Task<IPage> OpenAsync(string url, bool dark = false, int width = 1366, int height = 800)
    {
        var context = await Instance.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = width, Height = height } });
        if (dark)
        {
            await context.AddCookiesAsync([new Cookie { Name = "studio-theme", Value = "dark", Url = url }]);
        }

        context.SetDefaultTimeout(20_000);
        // A first load prerenders on the server (and may be the first request of a fresh host); on two saturated cores
        // that alone took over 20 s once.
        context.SetDefaultNavigationTimeout(60_000);
        var page = await context.NewPageAsync();
        var circuit = page.WaitForWebSocketAsync(new PageWaitForWebSocketOptions { Predicate = ws => ws.Url.Contains("_blazor", StringComparison.Ordinal) });
        await page.GotoAsync(url);
        await circuit;
        return page;
    }

    public async ValueTask DisposeAsync()
    {
        if (Instance is not null)
        {
            await Instance.DisposeAsync();
        }

        _playwright?.Dispose();
    }
}
