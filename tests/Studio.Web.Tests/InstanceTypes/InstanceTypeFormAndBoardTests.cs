using Bunit;
using k8s;
using k8s.Models;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using Studio.Domain.InstanceTypes;
using Studio.Domain.Workspaces;
using Studio.Infrastructure.Clusters;
using Studio.Infrastructure.Compute;
using Studio.Infrastructure.InstanceTypes;
using Studio.Sandbox;
using Studio.Web.Components.Dialogs;
using Studio.Web.Security;
using Studio.Web.Tests.Shared;

namespace Studio.Web.Tests.InstanceTypes;

public sealed class InstanceTypeFormAndBoardTests : StudioTestContext
{
    private static readonly Actor Admin = new("admin", "Admin", WorkspaceRole.Administrator);

    private static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    private InstanceTypeCatalog Catalog => Services.GetRequiredService<InstanceTypeCatalog>();

    private async Task<(SandboxServer Sandbox, Guid Id)> InstalledAsync()
    {
        var sandbox = await SandboxServer.StartAsync(new SandboxOptions { Port = 0 }, Ct);
        var registered = await Services.GetRequiredService<ClusterService>().RegisterAsync(Admin, new RegisterClusterRequest("lab", null, sandbox.CreateKubeconfigYaml(), null), Ct);
        Assert.True((await Services.GetRequiredService<ExtensionService>().InstallAsync(Admin, "lab", new ExtensionSettings(), Ct)).IsSuccess);
        return (sandbox, registered.Value.Id);
    }

    private async Task<(IRenderedComponent<CascadingAuthenticationState> Cut, IRenderedComponent<MudPopoverProvider> Popovers, IDialogReference Dialog)> OpenFormAsync(Guid id, InstanceTypeDialogMode mode = InstanceTypeDialogMode.Create, InstanceTypeDraft? source = null)
    {
        SignIn("admin", StudioRoles.Administrator);
        var provider = Render<CascadingAuthenticationState>(p => p.AddChildContent<MudDialogProvider>());
        var popovers = Render<MudPopoverProvider>();
        var view = (await Catalog.ViewAsync(id, null, Ct)).Value;
        var parameters = new DialogParameters<InstanceTypeDialog> { { d => d.View, view }, { d => d.Mode, mode }, { d => d.Source, source } };
        IDialogReference? reference = null;
        await provider.InvokeAsync(async () => reference = await Services.GetRequiredService<IDialogService>().ShowAsync<InstanceTypeDialog>(null, parameters));
        return (provider, popovers, reference!);
    }

    private static string HelperOf(IRenderedComponent<CascadingAuthenticationState> cut, string testId) =>
        cut.Find($"input[data-testid={testId}]").Closest(".mud-input-control")!.TextContent;

    [Fact]
    public async Task Form_ShowsHumanUnitsBesideQuantities_AndPerFieldRuleErrors()
    {
        var (sandbox, id) = await InstalledAsync();
        await using var _ = sandbox;
        var (cut, _, _) = await OpenFormAsync(id);

        cut.Find("input[data-testid=it-name]").Input("Bad_Name");
        cut.Find("input[data-testid=it-request-memory]").Input("1500Mi");
        cut.Find("input[data-testid=it-limit-memory]").Input("1Gi");
        cut.Find("input[data-testid=it-request-cpu]").Input("0");
        cut.Find("input[data-testid=it-limit-cpu]").Input("2");
        cut.Find("input[data-testid=it-limit-gpu]").Input("0.5");

        cut.WaitForAssertion(() => Assert.Contains("1500Mi = 1.46 GiB", HelperOf(cut, "it-request-memory"), StringComparison.Ordinal));
        Assert.Contains("must consist of lower case", HelperOf(cut, "it-name"), StringComparison.Ordinal);
        Assert.Contains("greater than zero", HelperOf(cut, "it-request-cpu"), StringComparison.Ordinal);
        Assert.Contains("2 = 2 CPU", HelperOf(cut, "it-limit-cpu"), StringComparison.Ordinal);
        Assert.Contains("whole number of GPUs", HelperOf(cut, "it-limit-gpu"), StringComparison.Ordinal);

        cut.Find("input[data-testid=it-name]").Input("cpu-small");
        cut.Find("input[data-testid=it-request-cpu]").Input("500m");
        cut.Find("input[data-testid=it-limit-gpu]").Input("");
        cut.WaitForAssertion(() => Assert.Contains("greater than the memory limit", HelperOf(cut, "it-request-memory"), StringComparison.Ordinal));
        Assert.Single(cut.FindAll(".mud-input-control.mud-input-error"));
    }

    [Fact]
    public async Task Form_SuggestsTheLabelsNodesCarry_AndWarnsWithTheClosestLabelsWhenNothingMatches()
    {
        var (sandbox, id) = await InstalledAsync();
        await using var _ = sandbox;
        var (cut, popovers, _) = await OpenFormAsync(id);
        cut.Find("[data-testid=it-selector-add]").Click();

        cut.Find("input[data-testid=it-selector-key-0]").Focus();
        cut.Find("input[data-testid=it-selector-key-0]").Input("gpu.prod");
        popovers.WaitForAssertion(() => Assert.Contains("nvidia.com/gpu.product", popovers.Markup, StringComparison.Ordinal));
        popovers.FindAll(".mud-list-item").First(i => i.TextContent.Trim() == "nvidia.com/gpu.product").Click();
        cut.Find("input[data-testid=it-selector-value-0]").Focus();
        cut.Find("input[data-testid=it-selector-value-0]").Input("");
        popovers.WaitForAssertion(() =>
        {
            Assert.Contains("NVIDIA-A100-PCIE-80GB", popovers.Markup, StringComparison.Ordinal);
            Assert.Contains("Tesla-T4", popovers.Markup, StringComparison.Ordinal);
        });

        cut.Find("input[data-testid=it-selector-value-0]").Input("H100");
        cut.Find("input[data-testid=it-selector-value-0]").Blur();
        cut.Find("input[data-testid=it-name]").Input("gpu-1x-h100");
        cut.Find("input[data-testid=it-request-cpu]").Input("4");
        cut.Find("input[data-testid=it-request-memory]").Input("16Gi");
        cut.Find("input[data-testid=it-limit-cpu]").Input("4");
        cut.Find("input[data-testid=it-limit-memory]").Input("16Gi");

        cut.WaitForAssertion(() => Assert.Contains("no node has nvidia.com/gpu.product=H100; nodes carry nvidia.com/gpu.product=NVIDIA-A100-PCIE-80GB, Tesla-T4", cut.Find("[data-testid=it-warning]").TextContent, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Form_TooBigForEveryNode_WarnsThatNothingCanRunItYet_AndStillSaves()
    {
        var (sandbox, id) = await InstalledAsync();
        await using var _ = sandbox;
        var (cut, _, dialog) = await OpenFormAsync(id, InstanceTypeDialogMode.Duplicate, new InstanceTypeDraft("cpu", new Dictionary<string, string> { ["agentpool"] = "cpu" }, "64", "1Gi", "64", "1Gi"));

        cut.WaitForAssertion(() => Assert.Contains("Exceeds node size: largest matching node has 8 CPU / 32 GiB allocatable", cut.Find("[data-testid=it-warning]").TextContent, StringComparison.Ordinal));
        Assert.Equal("cpu-copy", cut.Find("input[data-testid=it-name]").GetAttribute("value"));
        Assert.DoesNotContain("Exceeds node size", HelperOf(cut, "it-request-cpu"), StringComparison.Ordinal);
        cut.Find("[data-testid=it-save]").Click();

        cut.WaitForAssertion(() => Assert.True(dialog.Result.IsCompleted));
        Assert.Contains((await Catalog.ViewAsync(id, null, Ct)).Value.Entries, e => e.Name == "cpu-copy");
    }

    [Fact]
    public async Task Board_ShowsMatchingNodesFitAndFreeGpus_AndUpdatesWhenAGpuPodStarts_ForADataScientistWithoutWriteActions()
    {
        var (sandbox, id) = await InstalledAsync();
        await using var _ = sandbox;
        Assert.True((await Catalog.CreateAsync(Admin, id, new InstanceTypeDraft("gpu-1x-t4", new Dictionary<string, string> { ["agentpool"] = "gput4" }, "2", "8Gi", "4", "16Gi", "1"), Ct)).IsSuccess);

        // A data scientist sees a cluster through a workspace of theirs with compute on it (ClusterVisibility).
        var workspaces = Services.GetRequiredService<Studio.Infrastructure.Workspaces.WorkspaceService>();
        await workspaces.CreateAsync(Admin, "vision", null, Ct);
        await workspaces.SetMemberAsync(Admin, "vision", "dana", "dana", WorkspaceRole.DataScientist, Ct);
        Assert.True((await Services.GetRequiredService<ComputeService>().AttachAsync(Admin, "vision", new AttachComputeRequest("gpu", "lab", "vision-gpu", CreateNamespace: true), Ct)).IsSuccess);
        SignIn("dana");
        Render<MudPopoverProvider>();

        Services.GetRequiredService<NavigationManager>().NavigateTo("/instance-types?cluster=lab&tab=board");
        var cut = Render<CascadingAuthenticationState>(p => p.AddChildContent<Studio.Web.Components.Pages.InstanceTypes>());

        var card = () => cut.Find("[data-testid=board-card][data-name=gpu-1x-t4]");
        cut.WaitForAssertion(() => Assert.Contains("Available now · 2", card().QuerySelector("[data-testid=availability-badge]")!.TextContent, StringComparison.Ordinal), TimeSpan.FromSeconds(20));
        Assert.Equal(("2", "2", "2"), (card().QuerySelector("[data-testid=board-matching]")!.TextContent, card().QuerySelector("[data-testid=board-now]")!.TextContent, card().QuerySelector("[data-testid=board-gpus]")!.TextContent));
        Assert.Empty(cut.FindAll("[data-testid=it-new]"));
        Assert.Empty(cut.FindAll("[data-testid=it-import]"));

        using var client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(sandbox.CreateKubeconfigYaml()))));
        await client.CoreV1.CreateNamespacedPodAsync(new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = "t4-job" },
            Spec = new V1PodSpec
            {
                NodeSelector = new Dictionary<string, string> { ["agentpool"] = "gput4" },
                Containers = [new V1Container { Name = "main", Image = "nginx:1.27", Resources = new V1ResourceRequirements { Requests = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("1") }, Limits = new Dictionary<string, ResourceQuantity> { ["nvidia.com/gpu"] = new("1") } } }],
            },
        }, "default", cancellationToken: Ct);

        cut.WaitForAssertion(() => Assert.Equal(("1", "1"), (card().QuerySelector("[data-testid=board-now]")!.TextContent, card().QuerySelector("[data-testid=board-gpus]")!.TextContent)), TimeSpan.FromSeconds(20));
        Assert.Contains("Available now · 1", card().QuerySelector("[data-testid=availability-badge]")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Catalog_WithoutTheExtension_SaysSoAndOffersOnlyTheImplicitDefault()
    {
        await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions { Port = 0 }, Ct);
        Assert.True((await Services.GetRequiredService<ClusterService>().RegisterAsync(Admin, new RegisterClusterRequest("bare", null, sandbox.CreateKubeconfigYaml(), null), Ct)).IsSuccess);
        SignIn("admin", StudioRoles.Administrator);
        Render<MudPopoverProvider>();

        Services.GetRequiredService<NavigationManager>().NavigateTo("/instance-types?cluster=bare");
        var cut = Render<CascadingAuthenticationState>(p => p.AddChildContent<Studio.Web.Components.Pages.InstanceTypes>());

        cut.WaitForAssertion(() => Assert.Contains("not installed", cut.Find("[data-testid=it-no-extension]").TextContent, StringComparison.Ordinal), TimeSpan.FromSeconds(20));
        Assert.Equal(["defaultinstancetype"], cut.FindAll("[data-testid=it-row]").Select(r => r.GetAttribute("data-name")));
        Assert.True(cut.Find("[data-testid=it-new]").HasAttribute("disabled"));
    }
}
