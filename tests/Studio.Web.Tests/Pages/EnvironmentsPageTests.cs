using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.DependencyInjection;
using Studio.Domain.Workspaces;
using Studio.Infrastructure.Environments;
using Studio.Infrastructure.Jobs;
using Studio.Infrastructure.Workspaces;
using Studio.Web.Components.Pages;
using Studio.Web.Model;
using Studio.Web.Tests.Shared;

namespace Studio.Web.Tests.Pages;

public sealed class EnvironmentsPageTests : StudioTestContext
{
    private static readonly Actor Admin = new("admin", "Admin", WorkspaceRole.Administrator);

    public EnvironmentsPageTests()
    {
        Services.AddOptions<JobsOptions>();
        Services.AddSingleton<EnvironmentCatalog>();
        Services.AddSingleton<EnvironmentService>();
        JSInterop.Setup<bool>("studio.copyText", _ => true).SetResult(true);
    }

    private static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    private async Task WorkspaceAsync()
    {
        var workspaces = Services.GetRequiredService<WorkspaceService>();
        await workspaces.CreateAsync(Admin, "nlp", null, Ct);
        await workspaces.SetMemberAsync(Admin, "nlp", "dana", "Dana", WorkspaceRole.DataScientist, Ct);
        await workspaces.SetMemberAsync(Admin, "nlp", "rob", "Rob", WorkspaceRole.Reader, Ct);
        Services.GetRequiredService<UserPreferences>().Seed(false, "nlp");
    }

    private IRenderedComponent<CascadingAuthenticationState> RenderPage(string user) => RenderInWorkspace<Environments>("nlp", user, []);

    [Fact]
    public async Task Register_WithBadImage_ShowsTheMessageOnTheImageField_ThenRegistersAFixedOne()
    {
        await WorkspaceAsync();
        var cut = RenderPage("dana");

        cut.WaitForElement("[data-testid=register-environment]").Click();
        cut.WaitForElement("input[data-testid=environment-name]").Input("torch-train");
        cut.Find("input[data-testid=environment-image]").Input("My Image");
        cut.Find("[data-testid=environment-submit]").Click();

        cut.WaitForAssertion(() => Assert.Contains("contains spaces", cut.Find("[data-testid=environment-dialog]").TextContent, StringComparison.Ordinal));

        cut.Find("input[data-testid=environment-image]").Input("myregistry.azurecr.io/torch:2.4");
        cut.Find("[data-testid=environment-submit]").Click();

        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("[data-testid=env-torch-train-1]")));
        Assert.Contains("myregistry.azurecr.io/torch:2.4", cut.Find("[data-testid=environments-grid]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CuratedEnvironments_AreBuiltIn_NotSaidToBeRegisteredByAzureMl()
    {
        await WorkspaceAsync();

        var cut = RenderPage("dana");

        cut.WaitForAssertion(() => Assert.Contains("Curated", cut.Find("[data-testid=environments-grid]").TextContent, StringComparison.Ordinal));
        Assert.Contains("built in", cut.Find("[data-testid=environments-grid]").TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("Azure ML curated", cut.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reader_SeesEnvironmentsButCannotRegisterOrRemove()
    {
        await WorkspaceAsync();
        await Services.GetRequiredService<EnvironmentService>().RegisterAsync(new Actor("dana", "Dana", null), "nlp", "base", null, "python:3.12-slim", null, Ct);

        var cut = RenderPage("rob");

        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("[data-testid=env-base-1]")));
        Assert.Empty(cut.FindAll("[data-testid=register-environment]"));
        Assert.Empty(cut.FindAll("[data-testid=remove-base-1]"));
    }

    [Fact]
    public async Task Filter_FromTheUrl_HidesStudioWideEntries()
    {
        await WorkspaceAsync();
        await Services.GetRequiredService<EnvironmentService>().RegisterAsync(new Actor("dana", "Dana", null), "nlp", "base", null, "python:3.12-slim", null, Ct);
        Services.GetRequiredService<NavigationManager>().NavigateTo("/w/nlp/environments?shared=false");

        var cut = RenderPage("dana");

        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("[data-testid=env-base-1]")));
        Assert.DoesNotContain("Curated", cut.Find("[data-testid=environments-grid]").TextContent, StringComparison.Ordinal);
    }
}
