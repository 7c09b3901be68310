using System.Text;
using Bunit;
using k8s;
using k8s.Models;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.DependencyInjection;
using Studio.Domain.Workspaces;
using Studio.Infrastructure.Clusters;
using Studio.Sandbox;
using Studio.Web.Components.Pages;
using Studio.Web.Security;
using Studio.Web.Tests.Shared;

namespace Studio.Web.Tests.Pages;

/// <summary>The node page of a cluster (conditions, taints, labels, GPUs, the pods on it, events) against a real sandbox cluster.</summary>
public sealed class ClusterNodePagesTests : StudioTestContext
{
    private static readonly Actor Admin = new("admin", "Admin", WorkspaceRole.Administrator);

    // One tainted GPU node with two GPUs, and one plain CPU node.
    private const string Topology = """
        pools:
          - {name: cpu, count: 1, instanceType: Standard_D8s_v5, cpu: "8", memory: 32Gi}
          - {name: gpu, count: 1, instanceType: Standard_NC48ads_A100_v4, cpu: "48", memory: 440Gi, gpus: 2, gpuProduct: NVIDIA-A100-PCIE-80GB, taints: [{key: sku, value: gpu, effect: NoSchedule}]}
        """;

    private const string GpuNode = "aks-gpu-10023757-vmss000000";

    private static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    private async Task<(SandboxServer Sandbox, Kubernetes Client)> StartClusterAsync(string name)
    {
        var topology = Path.Combine(Path.GetTempPath(), $"topology-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(topology, Topology, Ct);
        var sandbox = await SandboxServer.StartAsync(new SandboxOptions { Port = 0, TopologyPath = topology }, Ct);
        var kubeconfig = sandbox.CreateKubeconfigYaml();
        var register = await Services.GetRequiredService<ClusterService>().RegisterAsync(Admin, new RegisterClusterRequest(name, null, kubeconfig, null), Ct);
        Assert.True(register.IsSuccess, string.Join("; ", register.Errors.Select(e => e.Message)));
        return (sandbox, new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(new MemoryStream(Encoding.UTF8.GetBytes(kubeconfig)))));
    }

    private IRenderedComponent<CascadingAuthenticationState> RenderNode(string cluster, string node, string? tab = null)
    {
        SignIn("admin", StudioRoles.Administrator);
        Render<MudBlazor.MudPopoverProvider>();
        if (tab is not null)
        {
            Services.GetRequiredService<NavigationManager>().NavigateTo($"/clusters/{cluster}/nodes/{node}?tab={tab}");
        }

        return Render<CascadingAuthenticationState>(p => p.AddChildContent<ClusterNodeDetail>(c => c.Add(x => x.Name, cluster).Add(x => x.Node, node)));
    }

    /// <summary>A pod that tolerates the GPU taint, asks for one GPU on the GPU node, and runs a long while.</summary>
    private static V1Pod GpuPod(string name) => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = name,
            Annotations = new Dictionary<string, string> { ["sandbox.studio/pull-seconds"] = "0", ["sandbox.studio/run-seconds"] = "3600" },
        },
        Spec = new V1PodSpec
        {
            RestartPolicy = "Never",
            NodeSelector = new Dictionary<string, string> { ["kubernetes.io/hostname"] = GpuNode },
            Tolerations = [new V1Toleration { Key = "sku", OperatorProperty = "Equal", Value = "gpu", Effect = "NoSchedule" }],
            Containers =
            [
                new V1Container
                {
                    Name = "train",
                    Image = "busybox",
                    Command = ["sleep", "3600"],
                    Resources = new V1ResourceRequirements
                    {
                        Requests = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("2"), ["memory"] = new("8Gi") },
                        Limits = new Dictionary<string, ResourceQuantity> { ["nvidia.com/gpu"] = new("1") },
                    },
                },
            ],
        },
    };

    private static void OpenTab(IRenderedComponent<CascadingAuthenticationState> cut, string title) =>
        cut.FindAll(".mud-tab").First(t => t.TextContent.Trim().StartsWith(title, StringComparison.Ordinal)).Click();

    [Fact]
    public async Task NodeDetail_ShowsConditionsTaintsAndLabels()
    {
        var (sandbox, client) = await StartClusterAsync("lab");
        await using var _ = sandbox;
        using var __ = client;

        var cut = RenderNode("lab", GpuNode, tab: "conditions");

        cut.WaitForAssertion(() => Assert.Contains("KubeletReady", cut.Find("[data-testid=node-conditions]").TextContent, StringComparison.Ordinal), TimeSpan.FromSeconds(30));
        var conditions = cut.Find("[data-testid=node-conditions]").TextContent;
        Assert.Contains("MemoryPressure", conditions, StringComparison.Ordinal);
        Assert.Contains("KubeletHasSufficientMemory", conditions, StringComparison.Ordinal);
        Assert.Equal("Ready", cut.Find("[data-testid=node-status]").TextContent.Trim());
        Assert.Contains("Standard_NC48ads_A100_v4", cut.Find("[data-testid=node-facts]").TextContent, StringComparison.Ordinal);
        cut.WaitForAssertion(() => OpenTab(cut, "Labels and taints"));
        cut.WaitForAssertion(() => Assert.Contains("sku=gpu:NoSchedule", cut.Find("[data-testid=node-taints]").TextContent, StringComparison.Ordinal));
        Assert.Contains($"kubernetes.io/hostname={GpuNode}", cut.Find("[data-testid=node-labels]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NodeDetail_WhenAPodTakesAGpu_ShowsItOnTheNodeAndAsTheGpuHolder_Live()
    {
        var (sandbox, client) = await StartClusterAsync("gpulab");
        await using var _ = sandbox;
        using var __ = client;
        var cut = RenderNode("gpulab", GpuNode, tab: "gpus");
        cut.WaitForAssertion(() => Assert.Contains("0 allocated of 2", cut.Find("[data-testid=node-gpus]").TextContent, StringComparison.Ordinal), TimeSpan.FromSeconds(30));

        // The page is open: the pod arrives through the live pipeline, not a reload.
        await client.CoreV1.CreateNamespacedPodAsync(GpuPod("trainer-0"), "default", cancellationToken: Ct);

        cut.WaitForAssertion(() => Assert.Contains("1 allocated of 2", cut.Find("[data-testid=node-gpus]").TextContent, StringComparison.Ordinal), TimeSpan.FromSeconds(30));
        Assert.Contains("default/trainer-0", cut.Find("[data-testid=gpu-holders]").TextContent, StringComparison.Ordinal);
        cut.WaitForAssertion(() => OpenTab(cut, "Pods"));
        cut.WaitForAssertion(() => Assert.Contains("trainer-0", cut.Find("[data-testid=node-pods]").TextContent, StringComparison.Ordinal));
        Assert.Contains("Pods (1)", cut.Markup, StringComparison.Ordinal);
        Assert.Contains("2 / ", cut.Find("[data-testid=node-resources]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NodeDetail_ForUnknownNode_SaysTheClusterHasNoSuchNode()
    {
        var (sandbox, client) = await StartClusterAsync("small");
        await using var _ = sandbox;
        using var __ = client;

        var cut = RenderNode("small", "aks-nope-0");

        cut.WaitForAssertion(() => Assert.Contains("Cluster 'small' has no node 'aks-nope-0'", cut.Find("[data-testid=empty-state]").TextContent, StringComparison.Ordinal), TimeSpan.FromSeconds(30));
        Assert.Contains("Node not found", cut.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NodeDetail_WhenTheNodeIsDeletedWhileOpen_SaysItIsGone()
    {
        var (sandbox, client) = await StartClusterAsync("shrinking");
        await using var _ = sandbox;
        using var __ = client;
        var cut = RenderNode("shrinking", GpuNode);
        cut.WaitForAssertion(() => Assert.Equal("Ready", cut.Find("[data-testid=node-status]").TextContent.Trim()), TimeSpan.FromSeconds(30));

        await client.CoreV1.DeleteNodeAsync(GpuNode, cancellationToken: Ct);

        cut.WaitForAssertion(() => Assert.Contains($"Node '{GpuNode}' left cluster 'shrinking'", cut.Find("[data-testid=empty-state]").TextContent, StringComparison.Ordinal), TimeSpan.FromSeconds(30));
        Assert.Empty(cut.FindAll("[data-testid=node-pods]"));
    }

    [Fact]
    public void NodeDetail_ForUnknownCluster_SaysTheClusterIsNotRegistered()
    {
        var cut = RenderNode("nope", "any");

        cut.WaitForAssertion(() => Assert.Contains("Cluster 'nope' is not registered.", cut.Find("[data-testid=empty-state]").TextContent, StringComparison.Ordinal));
    }

    [Fact]
    public async Task PodsTab_FilteredByNamespaceInTheUrl_ListsThoseOnlyWithOwnerPhaseAndANodeLink()
    {
        var (sandbox, client) = await StartClusterAsync("podlab");
        await using var _ = sandbox;
        using var __ = client;
        await Live.SandboxPods.EnsureNamespaceAsync(client, "team-a", Ct);
        await client.CoreV1.CreateNamespacedPodAsync(GpuPod("trainer-0"), "team-a", cancellationToken: Ct);
        await client.CoreV1.CreateNamespacedPodAsync(Live.SandboxPods.ShortPod("other", "default", seconds: 3600), "default", cancellationToken: Ct);
        Services.GetRequiredService<NavigationManager>().NavigateTo("/clusters/podlab?tab=pods&namespace=team-a");
        SignIn("admin", StudioRoles.Administrator);
        Render<MudBlazor.MudPopoverProvider>();

        var cut = Render<CascadingAuthenticationState>(p => p.AddChildContent<ClusterDetail>(c => c.Add(x => x.Name, "podlab")));

        cut.WaitForAssertion(() => Assert.Contains("Running", cut.Find("[data-testid=pods-grid] tbody").TextContent, StringComparison.Ordinal), TimeSpan.FromSeconds(30));
        var grid = cut.Find("[data-testid=pods-grid]");
        Assert.Single(grid.QuerySelectorAll("tbody tr.mud-table-row"));
        Assert.Contains("trainer-0", grid.TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("other", grid.QuerySelector("tbody")!.TextContent, StringComparison.Ordinal);
        Assert.Equal($"/clusters/podlab/nodes/{GpuNode}", cut.Find("[data-testid=pod-node-link]").GetAttribute("href"));
    }
}
