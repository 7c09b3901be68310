using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Rendering;
using Microsoft.Extensions.DependencyInjection;
using Studio.Domain.Workspaces;
using Studio.Infrastructure.Workspaces;
using Studio.Web.Components.Controls;
using Studio.Web.Components.Pages;
using Studio.Web.Model;
using Studio.Web.Security;
using Studio.Web.Tests.Shared;

namespace Studio.Web.Tests.Layout;

/// <summary>The workspace in the address: resolved once for the pages under it, not found for outsiders, old links redirected.</summary>
public sealed class WorkspaceScopeTests : StudioTestContext
{
    private static readonly Actor Admin = new("admin", "Admin", WorkspaceRole.Administrator);

    private async Task WorkspacesAsync()
    {
        var workspaces = Services.GetRequiredService<WorkspaceService>();
        Assert.True((await workspaces.CreateAsync(Admin, "vision", null, CancellationToken.None)).IsSuccess);
        Assert.True((await workspaces.CreateAsync(Admin, "speech", null, CancellationToken.None)).IsSuccess);
        await workspaces.SetMemberAsync(Admin, "vision", "dana", "Dana", WorkspaceRole.DataScientist, CancellationToken.None);
        await workspaces.SetMemberAsync(Admin, "speech", "rita", "Rita", WorkspaceRole.Reader, CancellationToken.None);
    }

    [Fact]
    public async Task Scope_ForAMember_CascadesTheWorkspaceAndRole_AndRemembersIt()
    {
        await WorkspacesAsync();

        var cut = RenderInWorkspace<ProbePage>("vision", "dana", []);

        cut.WaitForAssertion(() => Assert.Equal("vision as DataScientist by dana", cut.Find("[data-testid=probe]").TextContent));
        Assert.Equal("vision", Services.GetRequiredService<UserPreferences>().CurrentWorkspace);
        cut.WaitForAssertion(() => Assert.Equal([UserPreferences.WorkspaceCookie, "vision", 365], JSInterop.Invocations["studio.setCookie"].Last().Arguments));
    }

    [Theory]
    [InlineData("speech")] // exists, but dana is not a member
    [InlineData("nowhere")] // does not exist: the same answer
    public async Task Scope_ForAWorkspaceThePersonMayNotSee_ShowsNotFound_AndNeverRendersThePage(string workspace)
    {
        await WorkspacesAsync();

        var cut = RenderInWorkspace<ProbePage>(workspace, "dana", []);

        cut.WaitForAssertion(() => Assert.Contains($"Workspace '{workspace}' was not found", cut.Find("[data-testid=workspace-not-found]").TextContent, StringComparison.Ordinal));
        Assert.Empty(cut.FindAll("[data-testid=probe]"));
        Assert.Null(Services.GetRequiredService<UserPreferences>().CurrentWorkspace);
    }

    [Fact]
    public async Task Scope_ForAStudioAdministrator_ResolvesEveryWorkspace()
    {
        await WorkspacesAsync();

        var cut = RenderInWorkspace<ProbePage>("speech", "root", [StudioRoles.Administrator]);

        cut.WaitForAssertion(() => Assert.Equal("speech as Administrator by root", cut.Find("[data-testid=probe]").TextContent));
    }

    [Fact]
    public async Task OldLink_GoesToTheSamePageInTheRememberedWorkspace_KeepingTheQuery()
    {
        await WorkspacesAsync();
        await Services.GetRequiredService<WorkspaceService>().SetMemberAsync(Admin, "speech", "dana", "Dana", WorkspaceRole.Reader, CancellationToken.None);
        Services.GetRequiredService<UserPreferences>().Seed(false, "speech");
        var navigation = Services.GetRequiredService<NavigationManager>();
        navigation.NavigateTo("/jobs/train-abc?tab=pods");
        SignIn("dana");

        Render<Microsoft.AspNetCore.Components.Authorization.CascadingAuthenticationState>(p => p.AddChildContent<WorkspaceRedirect>(r => r.Add(x => x.Rest, "train-abc")));

        Assert.EndsWith("/w/speech/jobs/train-abc?tab=pods", navigation.Uri, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OldLink_WhenTheRememberedWorkspaceIsNotVisible_GoesToTheFirstVisibleOne()
    {
        await WorkspacesAsync();
        Services.GetRequiredService<UserPreferences>().Seed(false, "speech");
        var navigation = Services.GetRequiredService<NavigationManager>();
        navigation.NavigateTo("/compute");
        SignIn("dana");

        Render<Microsoft.AspNetCore.Components.Authorization.CascadingAuthenticationState>(p => p.AddChildContent<WorkspaceRedirect>());

        Assert.EndsWith("/w/vision/compute", navigation.Uri, StringComparison.Ordinal);
    }

    [Fact]
    public void OldLink_WithoutAnyWorkspace_SaysSo()
    {
        SignIn("nobody");

        var cut = Render<Microsoft.AspNetCore.Components.Authorization.CascadingAuthenticationState>(p => p.AddChildContent<WorkspaceRedirect>());

        cut.WaitForElement("[data-testid=no-workspace]");
    }

    /// <summary>A page that shows what the layout cascaded to it.</summary>
    private sealed class ProbePage : StudioPage
    {
        protected override void BuildRenderTree(RenderTreeBuilder builder)
        {
            builder.OpenElement(0, "span");
            builder.AddAttribute(1, "data-testid", "probe");
            builder.AddContent(2, $"{Workspace.Name} as {Workspace.Role} by {Workspace.Actor.UserId}");
            builder.CloseElement();
        }
    }
}
