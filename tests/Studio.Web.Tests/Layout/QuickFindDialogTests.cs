using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Studio.Infrastructure.Workspaces;
using Studio.Web.Components.Layout;
using Studio.Web.Security;
using Studio.Web.Tests.Shared;

namespace Studio.Web.Tests.Layout;

/// <summary>The app bar's "Go to" (Ctrl+K): the quick finder over everything the person may open.</summary>
public sealed class QuickFindDialogTests : ArtifactPagesTestContext
{
    public QuickFindDialogTests() => Services.AddStudioJobs(new ConfigurationBuilder().Build());

    private IRenderedComponent<CascadingAuthenticationState> RenderLayout() =>
        Render<CascadingAuthenticationState>(p => p.AddChildContent<MainLayout>(l => l.Add(x => x.Body, (RenderFragment)(b => b.AddContent(0, "page body")))));

    [Fact]
    public async Task GoTo_TypingPartOfAName_ListsIt_AndEnterOpensTheChosenHit()
    {
        SignIn("admin", StudioRoles.Administrator);
        var workspaces = Services.GetRequiredService<WorkspaceService>();
        var admin = new Studio.Domain.Workspaces.Actor("admin", "Admin", Studio.Domain.Workspaces.WorkspaceRole.Administrator);
        await workspaces.CreateAsync(admin, "alpha-vision", null, CancellationToken.None);
        await workspaces.CreateAsync(admin, "alpha", null, CancellationToken.None);
        var cut = RenderLayout();

        cut.Find("[data-testid=quick-find-open]").Click();
        cut.WaitForAssertion(() => cut.Find("[data-testid=quick-find-text]"));
        cut.Find("[data-testid=quick-find-text]").Input("alpha");

        // Exact name first, then the name that starts with it.
        cut.WaitForAssertion(() => Assert.Equal(["alpha", "alpha-vision"], cut.FindAll("[data-testid=quick-find-hit] .studio-quick-find-name").Select(e => e.TextContent)));
        Assert.Equal("true", cut.FindAll("[data-testid=quick-find-hit]")[0].GetAttribute("aria-selected"));
        cut.Find("[data-testid=quick-find-text]").KeyDown("ArrowDown");
        cut.WaitForAssertion(() => Assert.Equal("true", cut.FindAll("[data-testid=quick-find-hit]")[1].GetAttribute("aria-selected")));
        cut.Find("[data-testid=quick-find-text]").KeyDown("Enter");

        cut.WaitForAssertion(() => Assert.EndsWith("/w/alpha-vision", Services.GetRequiredService<NavigationManager>().Uri, StringComparison.Ordinal));
        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll("[data-testid=quick-find]")));
    }

    [Fact]
    public void GoTo_NothingMatches_SaysSo()
    {
        SignIn("admin", StudioRoles.Administrator);
        var cut = RenderLayout();

        cut.Find("[data-testid=quick-find-open]").Click();
        cut.WaitForAssertion(() => cut.Find("[data-testid=quick-find-text]"));
        cut.Find("[data-testid=quick-find-text]").Input("no-such-thing-anywhere");

        cut.WaitForAssertion(() => Assert.Contains("no-such-thing-anywhere", cut.Find("[data-testid=quick-find-none]").TextContent, StringComparison.Ordinal));
    }
}
