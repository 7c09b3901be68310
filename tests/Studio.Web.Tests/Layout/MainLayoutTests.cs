using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.DependencyInjection;
using Studio.Infrastructure.Workspaces;
using Studio.Web.Components.Layout;
using Studio.Web.Model;
using Studio.Web.Security;
using Studio.Web.Tests.Shared;

namespace Studio.Web.Tests.Layout;

public sealed class MainLayoutTests : StudioTestContext
{
    private IRenderedComponent<CascadingAuthenticationState> RenderLayout() =>
        Render<CascadingAuthenticationState>(p => p.AddChildContent<MainLayout>(l => l.Add(x => x.Body, (RenderFragment)(b => b.AddContent(0, "page body")))));

    [Fact]
    public void ThemeToggle_SwitchesToDarkMode_AndRemembersItInACookie()
    {
        SignIn("admin", StudioRoles.Administrator);
        var cut = RenderLayout();
        var preferences = Services.GetRequiredService<UserPreferences>();
        Assert.False(preferences.IsDarkMode);

        cut.Find("[data-testid=theme-toggle]").Click();

        // Click() does not wait when the renderer is busy (the layout renders live updates): wait for the handler.
        cut.WaitForAssertion(() => Assert.True(preferences.IsDarkMode));
        cut.WaitForAssertion(() => Assert.NotEmpty(JSInterop.Invocations["studio.setCookie"]));
        var call = JSInterop.VerifyInvoke("studio.setCookie");
        Assert.Equal([UserPreferences.ThemeCookie, "dark", 365], call.Arguments);
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("[aria-label='Toggle dark mode'] svg")));
    }

    [Fact]
    public void Page_IsInsideOneMainLandmark()
    {
        SignIn("admin", StudioRoles.Administrator);
        var cut = RenderLayout();

        var main = Assert.Single(cut.FindAll("main"));
        Assert.Contains("page body", main.TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("page body", cut.Find("header").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void ThemeToggle_Twice_ReturnsToLightAndWritesLight()
    {
        SignIn("admin", StudioRoles.Administrator);
        var cut = RenderLayout();

        cut.Find("[data-testid=theme-toggle]").Click();
        cut.WaitForAssertion(() => Assert.Single(JSInterop.Invocations["studio.setCookie"]));
        cut.Find("[data-testid=theme-toggle]").Click();

        cut.WaitForAssertion(() => Assert.Equal(2, JSInterop.Invocations["studio.setCookie"].Count));
        Assert.False(Services.GetRequiredService<UserPreferences>().IsDarkMode);
        Assert.Equal("light", JSInterop.Invocations["studio.setCookie"][^1].Arguments[1]);
    }

    [Fact]
    public async Task WorkspaceSwitcher_WithNoRememberedWorkspace_SelectsTheFirstVisibleWorkspace()
    {
        SignIn("admin", StudioRoles.Administrator);
        var workspaces = Services.GetRequiredService<WorkspaceService>();
        await workspaces.CreateAsync(new("admin", "Admin", Studio.Domain.Workspaces.WorkspaceRole.Administrator), "alpha", null, CancellationToken.None);

        var cut = RenderLayout();

        cut.WaitForAssertion(() => Assert.Contains("alpha", cut.Find("[data-testid=workspace-switcher]").TextContent, StringComparison.Ordinal));
        Assert.Equal("alpha", Services.GetRequiredService<UserPreferences>().CurrentWorkspace);
        Assert.Contains("page body", cut.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void CtrlK_IsWiredOnFirstRender()
    {
        SignIn("admin", StudioRoles.Administrator);
        var cut = RenderLayout();

        cut.WaitForAssertion(() => Assert.Single(JSInterop.Invocations["studio.onQuickFind"]));
    }
}
