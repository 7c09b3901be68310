using Microsoft.Playwright;

namespace Studio.E2E.Oidc;

/// <summary>
/// One provider, one studio and one Chromium for all OIDC tests (a collection fixture): the expensive parts start once;
/// each test gets its own browser context (its own cookies), so sessions never leak between tests.
/// </summary>
public sealed class OidcEnvironment : IAsyncLifetime
{
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public OidcProviderProcess Provider { get; private set; } = null!;

    public OidcStudioFactory Studio { get; private set; } = null!;

    public IBrowser Browser => _browser ?? throw new InvalidOperationException("The browser starts with the fixture.");

    /// <summary>Where screenshots go: <c>test-artifacts/</c> under the test output.</summary>
    public static string ArtifactsFolder => Path.Combine(AppContext.BaseDirectory, "test-artifacts");

    public async ValueTask InitializeAsync()
    {
        Provider = await OidcProviderProcess.StartAsync();
        Studio = new OidcStudioFactory(Provider.Issuer);
        Studio.StartServer();
        Directory.CreateDirectory(ArtifactsFolder);
    }

    /// <summary>Chromium starts on first use, so the bearer-token tests never pay for it.</summary>
    public async Task<IBrowserContext> NewBrowserContextAsync()
    {
        if (_browser is null)
        {
            _playwright = await Playwright.CreateAsync();
            _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = "/usr/bin/chromium",
                Headless = true,
                Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
            });
        }

        var context = await _browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 900 } });
        context.SetDefaultTimeout(20_000);
        return context;
    }

    /// <summary>
    /// Signs in on the provider's development pages the studio sent <paramref name="page"/> to: any password, then
    /// consent. The browser then goes back to the studio address it asked for.
    /// </summary>
    public static async Task SignInAtProviderAsync(IPage page, string login)
    {
        await Assertions.Expect(page.Locator("input[name=login]")).ToBeVisibleAsync(new() { Timeout = 20_000 });
        await page.Locator("input[name=login]").FillAsync(login);
        await page.Locator("input[name=password]").FillAsync("any password works");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign-in" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Continue" }).ClickAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
        if (Studio is not null)
        {
            await Studio.DisposeAsync();
        }

        if (Provider is not null)
        {
            await Provider.DisposeAsync();
            // Warnings and server errors of the provider, for reading after a failed run.
            await File.WriteAllTextAsync(Path.Combine(ArtifactsFolder, "oidc-provider.log"), Provider.ErrorOutput);
        }
    }
}

[CollectionDefinition(Name)]
public sealed class OidcCollection : ICollectionFixture<OidcEnvironment>
{
    public const string Name = "Oidc sign-in";
}
