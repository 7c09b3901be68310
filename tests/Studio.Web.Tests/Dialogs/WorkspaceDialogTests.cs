using Bunit;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using Studio.Infrastructure.Workspaces;
using Studio.Web.Components.Dialogs;
using Studio.Web.Security;
using Studio.Web.Tests.Shared;

namespace Studio.Web.Tests.Dialogs;

public sealed class WorkspaceDialogTests : StudioTestContext
{
    private async Task<(IRenderedComponent<CascadingAuthenticationState> Provider, IDialogReference Dialog)> OpenAsync()
    {
        SignIn("admin", StudioRoles.Administrator);
        var provider = Render<CascadingAuthenticationState>(p => p.AddChildContent<MudDialogProvider>());
        Render<MudPopoverProvider>();
        var dialogs = Services.GetRequiredService<IDialogService>();
        IDialogReference? reference = null;
        await provider.InvokeAsync(async () => reference = await dialogs.ShowAsync<WorkspaceDialog>("Create workspace"));
        return (provider, reference!);
    }

    private static void TypeName(IRenderedComponent<CascadingAuthenticationState> cut, string value)
    {
        var input = cut.Find("input[data-testid=workspace-name]");
        input.Input(value);
    }

    [Theory]
    [InlineData("-bad", "The name must start with a letter or a digit.")]
    [InlineData("ab", "The name must be 3 to 33 characters long (it has 2).")]
    [InlineData("has space", "Use only letters, digits, hyphens (-) and underscores (_).")]
    public async Task Submit_WithInvalidName_ShowsFieldMessageAndCreatesNothing(string name, string message)
    {
        var (cut, _) = await OpenAsync();

        TypeName(cut, name);
        cut.Find("[data-testid=workspace-submit]").Click();

        cut.WaitForAssertion(() => Assert.Contains(message, cut.Find(".mud-input-control.mud-input-error").TextContent, StringComparison.Ordinal));
        Assert.Empty(await Services.GetRequiredService<WorkspaceService>().ListAsync(new("admin", "Admin", Studio.Domain.Workspaces.WorkspaceRole.Administrator), CancellationToken.None));
    }

    [Fact]
    public async Task Submit_WithEmptyName_SaysNameIsRequired()
    {
        var (cut, _) = await OpenAsync();

        cut.Find("[data-testid=workspace-submit]").Click();

        cut.WaitForAssertion(() => Assert.Contains("Enter a name.", cut.Markup, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Submit_WithTakenName_ShowsServerConflictOnNameField()
    {
        var admin = new Studio.Domain.Workspaces.Actor("admin", "Admin", Studio.Domain.Workspaces.WorkspaceRole.Administrator);
        await Services.GetRequiredService<WorkspaceService>().CreateAsync(admin, "taken", null, CancellationToken.None);
        var (cut, _) = await OpenAsync();

        TypeName(cut, "TAKEN");
        cut.Find("[data-testid=workspace-submit]").Click();

        cut.WaitForAssertion(() => Assert.Contains("A workspace named 'TAKEN' already exists.", cut.Find(".mud-input-control.mud-input-error").TextContent, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Submit_WithValidName_ClosesWithTheNameAndStoresIt()
    {
        var (cut, dialog) = await OpenAsync();

        TypeName(cut, "vision-team");
        cut.Find("[data-testid=workspace-submit]").Click();

        var result = await dialog.Result.WaitAsync(TimeSpan.FromSeconds(10), Xunit.TestContext.Current.CancellationToken);
        Assert.Equal("vision-team", result!.Data);
        var admin = new Studio.Domain.Workspaces.Actor("admin", "Admin", Studio.Domain.Workspaces.WorkspaceRole.Administrator);
        Assert.Single(await Services.GetRequiredService<WorkspaceService>().ListAsync(admin, CancellationToken.None));
    }
}
