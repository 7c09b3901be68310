using Bunit;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using Studio.Domain.Workspaces;
using Studio.Infrastructure.Clusters;
using Studio.Infrastructure.Compute;
using Studio.Infrastructure.Workspaces;
using Studio.Sandbox;
using Studio.Web.Components.Dialogs;
using Studio.Web.Security;
using Studio.Web.Tests.Shared;

namespace Studio.Web.Tests.Dialogs;

public sealed class AttachComputeDialogTests : StudioTestContext
{
    private static readonly Actor Admin = new("admin", "Admin", WorkspaceRole.Administrator);

    private static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    private async Task<SandboxServer> ClusterAsync(string name, bool install)
    {
        var sandbox = await SandboxServer.StartAsync(new SandboxOptions { Port = 0 }, Ct);
        Assert.True((await Services.GetRequiredService<ClusterService>().RegisterAsync(Admin, new RegisterClusterRequest(name, null, sandbox.CreateKubeconfigYaml(), null), Ct)).IsSuccess);
        if (install)
        {
            Assert.True((await Services.GetRequiredService<ExtensionService>().InstallAsync(Admin, name, new ExtensionSettings(), Ct)).IsSuccess);
        }

        return sandbox;
    }

    private async Task<(IRenderedComponent<CascadingAuthenticationState> Cut, IDialogReference Dialog)> OpenAsync(params string[] clusters)
    {
        await Services.GetRequiredService<WorkspaceService>().CreateAsync(Admin, "team", null, Ct);
        SignIn("admin", StudioRoles.Administrator);
        var provider = Render<CascadingAuthenticationState>(p => p.AddChildContent<MudDialogProvider>());
        Render<MudPopoverProvider>();
        var parameters = new DialogParameters<AttachComputeDialog> { { d => d.Workspace, "team" }, { d => d.Clusters, clusters } };
        IDialogReference? reference = null;
        await provider.InvokeAsync(async () => reference = await Services.GetRequiredService<IDialogService>().ShowAsync<AttachComputeDialog>("Attach", parameters));
        return (provider, reference!);
    }

    [Fact]
    public async Task Preflight_WithInvalidNameAndNamespace_ShowsBothFieldErrorsAndKeepsAttachDisabled()
    {
        await using var sandbox = await ClusterAsync("c1", install: true);
        var (cut, _) = await OpenAsync("c1");

        cut.Find("input[data-testid=attach-name]").Input("1");
        cut.Find("input[data-testid=attach-namespace]").Input("Bad_NS");
        cut.Find("[data-testid=attach-preflight]").Click();

        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll(".mud-input-control.mud-input-error").Count));
        Assert.Contains("namespace", cut.Markup, StringComparison.Ordinal);
        Assert.True(cut.Find("[data-testid=attach-submit]").HasAttribute("disabled"));
    }

    [Fact]
    public async Task Preflight_OnClusterWithoutExtension_ShowsTheFailedCheckWithItsFix()
    {
        await using var sandbox = await ClusterAsync("bare", install: false);
        var (cut, _) = await OpenAsync("bare");

        cut.Find("input[data-testid=attach-name]").Input("cpu");
        cut.Find("input[data-testid=attach-namespace]").Input("team-cpu");
        cut.Find("[data-testid=attach-preflight]").Click();

        cut.WaitForAssertion(() => Assert.Equal("Fail", cut.Find("[data-testid=check-extension]").GetAttribute("data-status")));
        Assert.Contains("Install it from the cluster page first.", cut.Markup, StringComparison.Ordinal);
        Assert.True(cut.Find("[data-testid=attach-submit]").HasAttribute("disabled"));
    }

    [Fact]
    public async Task Preflight_Passes_ThenAttachWithNewNamespaceConfirmed_ClosesWithASucceededTarget()
    {
        await using var sandbox = await ClusterAsync("ok", install: true);
        var (cut, dialog) = await OpenAsync("ok");

        cut.Find("input[data-testid=attach-name]").Input("gpu");
        cut.Find("input[data-testid=attach-namespace]").Input("team-gpu");
        cut.Find("[data-testid=attach-preflight]").Click();
        cut.WaitForAssertion(() => Assert.Equal("Pass", cut.Find("[data-testid=check-extension]").GetAttribute("data-status")));
        Assert.Equal("Warning", cut.Find("[data-testid=check-namespace]").GetAttribute("data-status"));
        var box = cut.Find("[data-testid=attach-create-namespace]");
        (box.TagName == "INPUT" ? box : box.QuerySelector("input")!).Change(true);
        cut.Find("[data-testid=attach-submit]").Click();

        var result = await dialog.Result.WaitAsync(TimeSpan.FromSeconds(20), Ct);
        var attached = Assert.IsType<ComputeSummary>(result!.Data);
        Assert.Equal((ComputeTargetState.Succeeded, "team-gpu"), (attached.State, attached.Namespace));
    }

    [Fact]
    public async Task Attach_WithoutConfirmingTheMissingNamespace_ShowsTheErrorOnTheNamespaceField()
    {
        await using var sandbox = await ClusterAsync("nc", install: true);
        var (cut, _) = await OpenAsync("nc");

        cut.Find("input[data-testid=attach-name]").Input("cpu");
        cut.Find("input[data-testid=attach-namespace]").Input("not-yet");
        cut.Find("[data-testid=attach-preflight]").Click();
        cut.WaitForAssertion(() => Assert.False(cut.Find("[data-testid=attach-submit]").HasAttribute("disabled")));
        cut.Find("[data-testid=attach-submit]").Click();

        cut.WaitForAssertion(() => Assert.Contains("Confirm that Studio should create it.", cut.Find(".mud-input-control.mud-input-error").TextContent, StringComparison.Ordinal));
    }

    [Fact]
    public async Task DefaultInstanceType_IsPickedFromTheChosenClustersCatalog()
    {
        await using var sandbox = await ClusterAsync("c1", install: true);
        var (cut, _) = await OpenAsync("c1");

        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("[data-testid=instance-type-picker]")));
        Assert.Empty(cut.FindAll("input[data-testid=attach-instance-type]"));
        // Once the catalog has synced the picker is usable (it is disabled while it has nothing to offer).
        cut.WaitForAssertion(() => Assert.False(cut.Find("input[data-testid=instance-type-input]").HasAttribute("disabled")), TimeSpan.FromSeconds(15));
    }

    [Fact]
    public async Task DefaultInstanceType_WhenTheClusterIsUnknown_FallsBackToAFreeTextField()
    {
        var (cut, _) = await OpenAsync("not-registered");

        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("input[data-testid=attach-instance-type]")));
        Assert.Empty(cut.FindAll("[data-testid=instance-type-picker]"));
    }
}
