using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Studio.Domain.InstanceTypes;
using Studio.Domain.Workspaces;
using Studio.Infrastructure.Clusters;
using Studio.Infrastructure.Compute;
using Studio.Infrastructure.InstanceTypes;
using Studio.Sandbox;
using Studio.Web.Components.Controls;
using Studio.Web.Tests.Shared;

namespace Studio.Web.Tests.InstanceTypes;

public sealed class InstanceTypePickerTests : StudioTestContext
{
    private static readonly Actor Admin = new("admin", "Admin", WorkspaceRole.Administrator);

    private static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    private async Task<(SandboxServer Sandbox, Guid Id)> InstalledAsync()
    {
        var sandbox = await SandboxServer.StartAsync(new SandboxOptions { Port = 0 }, Ct);
        var registered = await Services.GetRequiredService<ClusterService>().RegisterAsync(Admin, new RegisterClusterRequest("lab", null, sandbox.CreateKubeconfigYaml(), null), Ct);
        Assert.True((await Services.GetRequiredService<ExtensionService>().InstallAsync(Admin, "lab", new ExtensionSettings(), Ct)).IsSuccess);
        var catalog = Services.GetRequiredService<InstanceTypeCatalog>();
        Assert.True((await catalog.CreateAsync(Admin, registered.Value.Id, new InstanceTypeDraft("gpu-1x-a100", new Dictionary<string, string> { ["agentpool"] = "gpua100" }, "4", "16Gi", "8", "32Gi", "1"), Ct)).IsSuccess);
        return (sandbox, registered.Value.Id);
    }

    private IRenderedComponent<MudBlazor.MudPopoverProvider> _popovers = null!;

    private IReadOnlyList<AngleSharp.Dom.IElement> Options => [.. _popovers.FindAll("[data-testid=instance-type-option]")];

    private IRenderedComponent<InstanceTypePicker> RenderPicker(Guid id, IReadOnlyCollection<string>? allowed = null, int replicas = 1)
    {
        _popovers = Render<MudBlazor.MudPopoverProvider>();
        return Render<InstanceTypePicker>(p => p.Add(x => x.ClusterId, id).Add(x => x.Allowed, allowed).Add(x => x.Replicas, replicas).Add(x => x.Value, "gpu-1x-a100"));
    }

    private void Open(IRenderedComponent<InstanceTypePicker> cut, string text)
    {
        cut.WaitForState(() => cut.FindAll("input").Count > 0 && !cut.Find("input").HasAttribute("disabled"));
        cut.Find("input").Focus();
        cut.Find("input").Input(text);
    }

    [Fact]
    public async Task Options_ShowResourcesAndLiveAvailability_AndTheSelectedOnesBadge()
    {
        var (sandbox, id) = await InstalledAsync();
        await using var _ = sandbox;

        var cut = RenderPicker(id);

        cut.WaitForAssertion(() => Assert.Contains("Available now · 1", cut.Find("[data-testid=instance-type-selected]").TextContent, StringComparison.Ordinal));
        Assert.Contains("4 CPU–8 CPU · 16 GiB–32 GiB · 1 GPU", cut.Find("[data-testid=instance-type-selected]").TextContent, StringComparison.Ordinal);
        Open(cut, "gpu");
        cut.WaitForAssertion(() => Assert.Contains(Options, o => o.GetAttribute("data-name") == "gpu-1x-a100"));
    }

    [Fact]
    public async Task Allowed_DisablesOtherOptions_WithTheReason_AndTooManyReplicasCannotFit()
    {
        var (sandbox, id) = await InstalledAsync();
        await using var _ = sandbox;

        var cut = RenderPicker(id, allowed: ["gpu-1x-a100"], replicas: 2);

        Open(cut, "default");
        cut.WaitForAssertion(() =>
        {
            var option = Options.Single(o => o.GetAttribute("data-name") == "defaultinstancetype");
            Assert.Equal("true", option.GetAttribute("data-disabled"));
            Assert.Contains("Not allowed on this compute target.", option.TextContent, StringComparison.Ordinal);
        });
        cut.WaitForAssertion(() => Assert.Contains("Cannot fit 2 replicas: at most 1 fit even on an empty cluster.", cut.Find("[data-testid=instance-type-selected-problem]").TextContent, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Picker_RefreshesLive_WhenAnInstanceTypeIsCreatedElsewhere()
    {
        var (sandbox, id) = await InstalledAsync();
        await using var _ = sandbox;
        var cut = RenderPicker(id);
        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("[data-testid=instance-type-selected]")));

        Assert.True((await Services.GetRequiredService<InstanceTypeCatalog>().CreateAsync(Admin, id, new InstanceTypeDraft("cpu-small", null, "500m", "1500Mi", "1", "2Gi"), Ct)).IsSuccess);

        // The picker's live view learns of it from the cluster's watch (under load this can take seconds); the list a
        // search shows is made when the person types, so type once it is known.
        cut.WaitForState(() => cut.Instance.Live.View?.Entries.Any(e => e.Name == "cpu-small") == true, TimeSpan.FromSeconds(30));
        Open(cut, "cpu");
        cut.WaitForAssertion(() => Assert.Contains(Options, o => o.GetAttribute("data-name") == "cpu-small" && o.TextContent.Contains("1.46 GiB", StringComparison.Ordinal)));
    }
}
