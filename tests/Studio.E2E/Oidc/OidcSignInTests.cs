using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Studio.E2E.Oidc;

/// <summary>
/// Sign-in in <c>Oidc</c> mode, end to end: Chromium, the studio on Kestrel, and a real OpenID Connect provider
/// (its development login and consent pages). Roles come from the provider's <c>roles</c> claim through
/// <c>Studio:Auth:RoleMap</c>: studio-admins → Administrator, studio-readers → Reader.
/// </summary>
[Collection(OidcCollection.Name)]
public sealed partial class OidcSignInTests(OidcEnvironment environment)
{
    /// <summary>An upper bound for waits that follow a redirect chain through the provider (first runs on a busy CI machine are slow).</summary>
    private const float RedirectTimeout = 20_000;

    private Uri Studio => environment.Studio.BaseAddress;

    [Fact]
    public async Task SignIn_AsAdmin_ShowsAdministration()
    {
        await using var context = await environment.NewBrowserContextAsync();
        var page = await context.NewPageAsync();

        await page.GotoAsync(Studio.ToString());
        await SignInAtProviderAsync(page, "alice");

        await Expect(page).ToHaveURLAsync(Studio.ToString(), new() { Timeout = RedirectTimeout });
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Overview", Level = 1 })).ToBeVisibleAsync();
        await Expect(NavLink(page, "Administration")).ToBeVisibleAsync();
        await page.ScreenshotAsync(new() { Path = Path.Combine(OidcEnvironment.ArtifactsFolder, "oidc-alice-overview.png"), FullPage = true });
        await OpenUserMenuAsync(page);
        await Expect(page.GetByText("alice · Administrator")).ToBeVisibleAsync();
        await page.Keyboard.PressAsync("Escape");

        await NavLink(page, "Administration").ClickAsync();
        await Expect(page.GetByTestId("signin-mode")).ToHaveTextAsync("Oidc");
    }

    [Fact]
    public async Task SignIn_AsReader_HidesAdministrationAndWorkspaceCreation()
    {
        await using var context = await environment.NewBrowserContextAsync();
        var page = await context.NewPageAsync();

        await page.GotoAsync(new Uri(Studio, "/workspaces").ToString());
        await SignInAtProviderAsync(page, "rob");

        await Expect(page).ToHaveURLAsync(new Uri(Studio, "/workspaces").ToString(), new() { Timeout = RedirectTimeout });
        await Expect(page.GetByTestId("workspaces-grid")).ToBeVisibleAsync();
        await Expect(NavLink(page, "Workspaces")).ToBeVisibleAsync();
        await Expect(NavLink(page, "Administration")).ToHaveCountAsync(0);
        await Expect(page.GetByTestId("create-workspace")).ToHaveCountAsync(0);
        await OpenUserMenuAsync(page);
        await Expect(page.GetByText("rob · Reader")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task SignIn_AsReader_AdministrationPageShowsAccessDenied()
    {
        await using var context = await environment.NewBrowserContextAsync();
        var page = await context.NewPageAsync();

        await page.GotoAsync(new Uri(Studio, "/administration").ToString());
        await SignInAtProviderAsync(page, "rob");

        await Expect(page.GetByText("You do not have access to this page")).ToBeVisibleAsync(new() { Timeout = RedirectTimeout });
        await Expect(page.GetByTestId("signin-mode")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task SignOut_FromUserMenu_EndsSessionAtStudioAndProvider()
    {
        await using var context = await environment.NewBrowserContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync(Studio.ToString());
        await SignInAtProviderAsync(page, "alice");
        await Expect(NavLink(page, "Administration")).ToBeVisibleAsync();

        await OpenUserMenuAsync(page);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(ProviderUrl(), new() { Timeout = RedirectTimeout });
        await page.GetByRole(AriaRole.Button, new() { Name = "Yes, sign me out" }).ClickAsync();

        await Expect(page).ToHaveURLAsync(new Uri(Studio, "/signed-out").ToString(), new() { Timeout = RedirectTimeout });
        await Expect(page.GetByText("You are signed out")).ToBeVisibleAsync();
        Assert.DoesNotContain(await context.CookiesAsync([Studio.ToString()]), c => c.Name == "studio.auth");

        // Signed out at the provider as well: the next visit asks for a login again instead of signing straight back in.
        await page.GotoAsync(Studio.ToString());
        await Expect(page).ToHaveURLAsync(ProviderUrl(), new() { Timeout = RedirectTimeout });
        await Expect(page.Locator("input[name=login]")).ToBeVisibleAsync();
    }

    /// <summary>On the provider's development pages: log in with any password, then consent.</summary>
    private async Task SignInAtProviderAsync(IPage page, string login)
    {
        await Expect(page).ToHaveURLAsync(ProviderUrl(), new() { Timeout = RedirectTimeout });
        await page.Locator("input[name=login]").FillAsync(login);
        await page.Locator("input[name=password]").FillAsync("any password works");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign-in" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Continue" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(StudioUrl(), new() { Timeout = RedirectTimeout });
    }

    /// <summary>
    /// Opens the user menu. A click right after the page loads can land before the Blazor circuit is connected and be lost,
    /// so it is repeated until the menu shows.
    /// </summary>
    private static async Task OpenUserMenuAsync(IPage page)
    {
        var activator = page.GetByTestId("user-menu-button");
        var signOut = page.GetByRole(AriaRole.Button, new() { Name = "Sign out" });
        for (var attempt = 1; ; attempt++)
        {
            await activator.ClickAsync();
            try
            {
                await Expect(signOut).ToBeVisibleAsync(new() { Timeout = 1_000 });
                return;
            }
            catch (PlaywrightException) when (attempt < 15)
            {
            }
        }
    }

    private static ILocator NavLink(IPage page, string name) => page.Locator(".mud-nav-link").Filter(new() { HasText = name });

    private Regex ProviderUrl() => new($"^{Regex.Escape(environment.Provider.Issuer.GetLeftPart(UriPartial.Authority))}/");

    private Regex StudioUrl() => new($"^{Regex.Escape(Studio.GetLeftPart(UriPartial.Authority))}/");
}
