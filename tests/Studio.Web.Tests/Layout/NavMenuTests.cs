using Bunit;
using Microsoft.AspNetCore.Components.Authorization;
using Studio.Web.Components.Layout;
using Studio.Web.Security;
using Studio.Web.Tests.Shared;

namespace Studio.Web.Tests.Layout;

public sealed class NavMenuTests : StudioTestContext
{
    private static readonly string[] EveryoneSees = ["Overview", "Clusters", "Compute", "Instance types", "Jobs", "Data", "Models", "Environments", "Endpoints", "Monitoring", "Workspaces"];

    private string[] RenderEntries()
    {
        var cut = Render<CascadingAuthenticationState>(p => p.AddChildContent<NavMenu>());
        return [.. cut.FindAll(".mud-nav-link-text").Select(e => e.TextContent.Trim())];
    }

    [Fact]
    public void NavMenu_ForAdministrator_ShowsEveryEntryIncludingAdministration()
    {
        SignIn("alice", StudioRoles.Administrator);

        Assert.Equal([.. EveryoneSees, "Administration"], RenderEntries());
    }

    [Theory]
    [InlineData(StudioRoles.DataScientist)]
    [InlineData(StudioRoles.Reader)]
    public void NavMenu_ForNonAdministrator_HidesAdministration(string role)
    {
        SignIn("rob", role);

        Assert.Equal(EveryoneSees, RenderEntries());
    }
}
