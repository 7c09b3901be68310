using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.DependencyInjection;
using Studio.Domain.Workspaces;
using Studio.Infrastructure.Workspaces;
using Studio.Web.Components.Layout;
using Studio.Web.Model;
using Studio.Web.Security;
using Studio.Web.Tests.Shared;

namespace Studio.Web.Tests.Layout;

/// <summary>The light shell: drawer, navigation and menus as plain markup in a handful of components.</summary>
public sealed class ShellTests : StudioTestContext
{
    private IRenderedComponent<CascadingAuthenticationState> RenderLayout() =>
        Render<CascadingAuthenticationState>(p => p.AddChildContent<MainLayout>(l => l.Add(x => x.Body, (RenderFragment)(b => b.AddContent(0, "page body")))));

    [Fact]
    public void Shell_RendersInAHandfulOfComponents()
    {
        SignIn("admin", StudioRoles.Administrator);

        var cut = RenderLayout();
        cut.WaitForAssertion(() => Assert.Contains("Administration", cut.Markup, StringComparison.Ordinal));

        // Every component stays in the circuit (~5–7 KB each). The MudBlazor shell was ~70; this one is the layout, the nav,
        // two menus, MudBlazor's four providers and the error boundary. A budget with headroom, not an exact count.
        var components = cut.FindComponents<IComponent>().Count;
        Assert.InRange(components, 5, 20);
    }

    [Fact]
    public void Drawer_OnAWideScreen_ClosesOnToggleAndOpensAgain()
    {
        SignIn("admin", StudioRoles.Administrator);
        JSInterop.Setup<bool>("studio.isNarrow").SetResult(false);
        var cut = RenderLayout();
        Assert.Contains("mud-drawer--open", cut.Find("[data-testid=drawer]").ClassName, StringComparison.Ordinal);

        cut.Find("[data-testid=drawer-toggle]").Click();
        cut.WaitForAssertion(() => Assert.Contains("mud-drawer--closed", cut.Find("[data-testid=drawer]").ClassName, StringComparison.Ordinal));
        Assert.DoesNotContain("mud-drawer-open-responsive-md-left", cut.Find(".mud-layout").ClassName, StringComparison.Ordinal);
        Assert.Equal("false", cut.Find("[data-testid=drawer-toggle]").GetAttribute("aria-expanded"));

        cut.Find("[data-testid=drawer-toggle]").Click();
        cut.WaitForAssertion(() => Assert.Contains("mud-drawer--open", cut.Find("[data-testid=drawer]").ClassName, StringComparison.Ordinal));
        Assert.Empty(cut.FindAll(".studio-drawer-scrim"));
    }

    [Fact]
    public void Drawer_OnANarrowScreen_OpensOverThePageAndTheScrimClosesIt()
    {
        SignIn("admin", StudioRoles.Administrator);
        JSInterop.Setup<bool>("studio.isNarrow").SetResult(true);
        var cut = RenderLayout();

        cut.Find("[data-testid=drawer-toggle]").Click();
        cut.WaitForAssertion(() => Assert.Contains("mud-drawer--open", cut.Find("[data-testid=drawer]").ClassName, StringComparison.Ordinal));
        Assert.DoesNotContain("mud-drawer--initial", cut.Find("[data-testid=drawer]").ClassName, StringComparison.Ordinal);

        cut.Find(".studio-drawer-scrim").Click();
        cut.WaitForAssertion(() => Assert.Contains("mud-drawer--closed", cut.Find("[data-testid=drawer]").ClassName, StringComparison.Ordinal));
    }

    [Fact]
    public void NavMenu_MarksTheCurrentSectionActive_IncludingPagesUnderIt()
    {
        SignIn("admin", StudioRoles.Administrator);
        var navigation = Services.GetRequiredService<NavigationManager>();
        var cut = Render<CascadingAuthenticationState>(p => p.AddChildContent<NavMenu>());
        Assert.Equal(["Overview"], Active(cut));

        navigation.NavigateTo("/clusters/sandbox?tab=nodes");
        cut.WaitForAssertion(() => Assert.Equal(["Clusters"], Active(cut)));

        navigation.NavigateTo("/instance-types");
        cut.WaitForAssertion(() => Assert.Equal(["Instance types"], Active(cut)));
        Assert.Equal("page", cut.Find("a.active").GetAttribute("aria-current"));

        static string[] Active(IRenderedComponent<CascadingAuthenticationState> cut) =>
            [.. cut.FindAll("a.mud-nav-link.active .mud-nav-link-text").Select(e => e.TextContent.Trim())];
    }

    [Fact]
    public async Task WorkspaceSwitcher_ListsWorkspacesOnlyWhileOpen_AndSwitchesOnClick()
    {
        SignIn("admin", StudioRoles.Administrator);
        var workspaces = Services.GetRequiredService<WorkspaceService>();
        var admin = new Actor("admin", "Admin", WorkspaceRole.Administrator);
        Assert.True((await workspaces.CreateAsync(admin, "alpha", null, CancellationToken.None)).IsSuccess);
        Assert.True((await workspaces.CreateAsync(admin, "beta-team-with-a-long-name-for-ui", null, CancellationToken.None)).IsSuccess);
        var cut = RenderLayout();
        cut.WaitForAssertion(() => Assert.Contains("alpha", cut.Find("[data-testid=workspace-switcher]").TextContent, StringComparison.Ordinal));
        Assert.Empty(cut.FindAll("[role=menuitem]"));

        cut.Find("[data-testid=workspace-switcher] button").Click();
        cut.WaitForElement("[data-testid='switch-to-beta-team-with-a-long-name-for-ui']").Click();

        // The switcher moves to the other workspace's address; the workspace layout then resolves and remembers it.
        var navigation = Services.GetRequiredService<NavigationManager>();
        cut.WaitForAssertion(() => Assert.EndsWith("/w/beta-team-with-a-long-name-for-ui/jobs", navigation.Uri, StringComparison.Ordinal));
        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll("[role=menuitem]")));
        Services.GetRequiredService<UserPreferences>().SetWorkspace("beta-team-with-a-long-name-for-ui");
        cut.WaitForAssertion(() => Assert.Contains("beta-team-with-a-long-name-for-ui", cut.Find("[data-testid=workspace-switcher] button").TextContent, StringComparison.Ordinal));
    }

    [Fact]
    public async Task WorkspaceSwitcher_OnAWorkspacePage_OpensTheSameSectionOfTheOtherWorkspace()
    {
        SignIn("admin", StudioRoles.Administrator);
        var workspaces = Services.GetRequiredService<WorkspaceService>();
        var admin = new Actor("admin", "Admin", WorkspaceRole.Administrator);
        Assert.True((await workspaces.CreateAsync(admin, "alpha", null, CancellationToken.None)).IsSuccess);
        Assert.True((await workspaces.CreateAsync(admin, "beta", null, CancellationToken.None)).IsSuccess);
        var navigation = Services.GetRequiredService<NavigationManager>();
        navigation.NavigateTo("/w/alpha/compute/gpu?tab=x");
        var cut = RenderLayout();

        cut.WaitForElement("[data-testid=workspace-switcher] button").Click();
        cut.WaitForElement("[data-testid='switch-to-beta']").Click();

        cut.WaitForAssertion(() => Assert.EndsWith("/w/beta/compute", navigation.Uri, StringComparison.Ordinal));
    }

    [Fact]
    public void WorkspaceSwitcher_ClosesOnEscapeAndOnAClickBesideIt()
    {
        SignIn("admin", StudioRoles.Administrator);
        var cut = RenderLayout();
        var activator = () => cut.Find("[data-testid=workspace-switcher] button");

        activator().Click();
        cut.WaitForElement("[data-testid=workspace-switcher] [role=menu]");
        Assert.Equal("true", activator().GetAttribute("aria-expanded"));
        cut.Find("[data-testid=workspace-switcher]").KeyDown(new Microsoft.AspNetCore.Components.Web.KeyboardEventArgs { Key = "Escape" });
        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll("[data-testid=workspace-switcher] [role=menu]")));

        activator().Click();
        cut.WaitForElement(".studio-menu-scrim").Click();
        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll("[data-testid=workspace-switcher] [role=menu]")));
    }

    [Fact]
    public void UserMenu_ShowsWhoIsSignedInAndASignOutForm()
    {
        SignIn("rob", StudioRoles.DataScientist);
        var cut = RenderLayout();

        cut.WaitForElement("[data-testid=user-menu-button]").Click();

        var menu = cut.WaitForElement("[data-testid=user-menu] [role=menu]");
        Assert.Contains("rob", menu.TextContent, StringComparison.Ordinal);
        Assert.Equal("/account/signout", menu.QuerySelector("form")!.GetAttribute("action"));
        Assert.Equal("post", menu.QuerySelector("form")!.GetAttribute("method"));
    }
}
