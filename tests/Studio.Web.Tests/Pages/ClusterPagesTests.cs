using Bunit;
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

public sealed class ClusterPagesTests : StudioTestContext
{
    private static readonly Actor Admin = new("admin", "Admin", WorkspaceRole.Administrator);

    private const string Topology = """
        pools:
          - {name: cpu, count: 450, instanceType: Standard_D8s_v5, cpu: "8", memory: 32Gi}
          - {name: gpu, count: 50, instanceType: Standard_NC24ads_A100_v4, cpu: "24", memory: 220Gi, gpus: 1, gpuProduct: NVIDIA-A100-PCIE-80GB}
        """;

    private IRenderedComponent<CascadingAuthenticationState> RenderPage<TPage>(Action<ComponentParameterCollectionBuilder<TPage>>? parameters = null)
        where TPage : IComponent
    {
        SignIn("admin", StudioRoles.Administrator);
        Render<MudBlazor.MudPopoverProvider>();
        return Render<CascadingAuthenticationState>(p => p.AddChildContent<TPage>(parameters ?? (_ => { })));
    }

    [Fact]
    public void Clusters_WithNoneRegistered_ShowsHonestEmptyStateAndAddButton()
    {
        var cut = RenderPage<Clusters>();

        cut.WaitForAssertion(() => Assert.Contains("No cluster is registered yet", cut.Find("[data-testid=empty-state]").TextContent, StringComparison.Ordinal));
        Assert.NotNull(cut.Find("[data-testid=add-cluster]"));
    }

    [Fact]
    public async Task Clusters_WhenClusterDoesNotAnswer_ShowsUnreachableWithReason()
    {
        await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions { Port = 0 }, Xunit.TestContext.Current.CancellationToken);
        var kubeconfig = sandbox.CreateKubeconfigYaml();
        var register = await Services.GetRequiredService<ClusterService>().RegisterAsync(Admin, new RegisterClusterRequest("gone", null, kubeconfig, null), Xunit.TestContext.Current.CancellationToken);
        Assert.True(register.IsSuccess);
        await sandbox.DisposeAsync();

        var cut = RenderPage<Clusters>();

        cut.WaitForAssertion(() => Assert.Contains("Unreachable", cut.Find("[data-testid=cluster-status]").TextContent, StringComparison.Ordinal), TimeSpan.FromSeconds(20));
        Assert.Contains("gone", cut.Find("[data-testid=clusters-grid]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ClusterDetail_With500Nodes_PagesOnTheServer()
    {
        var topology = Path.Combine(Path.GetTempPath(), $"topology-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(topology, Topology, Xunit.TestContext.Current.CancellationToken);

        await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions { Port = 0, TopologyPath = topology }, Xunit.TestContext.Current.CancellationToken);
        var register = await Services.GetRequiredService<ClusterService>().RegisterAsync(Admin, new RegisterClusterRequest("big", null, sandbox.CreateKubeconfigYaml(), null), Xunit.TestContext.Current.CancellationToken);
        Assert.True(register.IsSuccess, string.Join("; ", register.Errors.Select(e => e.Message)));
        Services.GetRequiredService<NavigationManager>().NavigateTo("/clusters/big?tab=nodes");

        var cut = RenderPage<ClusterDetail>(p => p.Add(x => x.Name, "big"));

        cut.WaitForAssertion(() => Assert.Contains("1-50 of 500", cut.Find("[data-testid=nodes-grid]").TextContent, StringComparison.Ordinal), TimeSpan.FromSeconds(30));
        cut.WaitForAssertion(() => Assert.Equal(50, cut.FindAll("[data-testid=nodes-grid] tbody tr").Count), TimeSpan.FromSeconds(30));
        cut.WaitForAssertion(() => Assert.Contains("500 / 500", cut.Markup, StringComparison.Ordinal), TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task ClusterDetail_ActionsMenuButton_HasAnAccessibleName()
    {
        await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions { Port = 0 }, Xunit.TestContext.Current.CancellationToken);
        var register = await Services.GetRequiredService<ClusterService>().RegisterAsync(Admin, new RegisterClusterRequest("lab", null, sandbox.CreateKubeconfigYaml(), null), Xunit.TestContext.Current.CancellationToken);
        Assert.True(register.IsSuccess, string.Join("; ", register.Errors.Select(e => e.Message)));

        var cut = RenderPage<ClusterDetail>(p => p.Add(x => x.Name, "lab"));

        // The "⋮" is an icon only: a screen reader must hear what it opens.
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("[data-testid=cluster-actions] button[aria-label='Cluster actions']")), TimeSpan.FromSeconds(20));
    }

    [Fact]
    public async Task ClusterDetail_OfTheBuiltInSandbox_DoesNotOfferToRotateCredentials()
    {
        await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions { Port = 0 }, Xunit.TestContext.Current.CancellationToken);
        Assert.True((await Services.GetRequiredService<ClusterService>().RegisterSandboxAsync("sandbox", sandbox.CreateKubeconfigYaml(), Xunit.TestContext.Current.CancellationToken)).IsSuccess);
        SignIn("admin", StudioRoles.Administrator);
        var popovers = Render<MudBlazor.MudPopoverProvider>();
        var cut = Render<CascadingAuthenticationState>(p => p.AddChildContent<ClusterDetail>(c => c.Add(x => x.Name, "sandbox")));

        cut.WaitForAssertion(() => cut.Find("[data-testid=cluster-actions] button").Click(), TimeSpan.FromSeconds(20));

        popovers.WaitForAssertion(() => Assert.Contains("Remove cluster", popovers.Markup, StringComparison.Ordinal));
        Assert.DoesNotContain("Rotate credentials", popovers.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ClusterDetail_OfTheClusterTheStudioRunsIn_SaysSoAndDoesNotOfferToRotateCredentials()
    {
        var account = Directory.CreateTempSubdirectory("studio-sa-").FullName;
        File.WriteAllText(Path.Combine(account, "token"), "pod-token");
        File.WriteAllText(Path.Combine(account, "ca.crt"), "not read by registering");
        var access = new Studio.Infrastructure.Kubernetes.InClusterAccess(Microsoft.Extensions.Options.Options.Create(
            new Studio.Infrastructure.Kubernetes.InClusterOptions { Name = "home", ServiceAccountPath = account, Host = "10.0.0.1", Port = 443 }));
        Assert.True((await Services.GetRequiredService<ClusterService>().RegisterInClusterAsync(access, Xunit.TestContext.Current.CancellationToken)).IsSuccess);
        SignIn("admin", StudioRoles.Administrator);
        var popovers = Render<MudBlazor.MudPopoverProvider>();
        var cut = Render<CascadingAuthenticationState>(p => p.AddChildContent<ClusterDetail>(c => c.Add(x => x.Name, "home")));

        cut.WaitForAssertion(() => Assert.Contains("In-cluster (the studio's own service account) · https://10.0.0.1:443", cut.Markup, StringComparison.Ordinal), TimeSpan.FromSeconds(20));
        cut.Find("[data-testid=cluster-actions] button").Click();

        popovers.WaitForAssertion(() => Assert.Contains("Remove cluster", popovers.Markup, StringComparison.Ordinal));
        Assert.DoesNotContain("Rotate credentials", popovers.Markup, StringComparison.Ordinal);
        Directory.Delete(account, recursive: true);
    }

    [Fact]
    public async Task ClusterDetail_WithoutTheExtension_SaysToInstallItWithTheButtonOnThisPage_NotFromTheClusterPage()
    {
        await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions { Port = 0 }, Xunit.TestContext.Current.CancellationToken);
        Assert.True((await Services.GetRequiredService<ClusterService>().RegisterAsync(Admin, new RegisterClusterRequest("bare", null, sandbox.CreateKubeconfigYaml(), null), Xunit.TestContext.Current.CancellationToken)).IsSuccess);

        var cut = RenderPage<ClusterDetail>(p => p.Add(x => x.Name, "bare"));

        cut.WaitForAssertion(() => Assert.Contains("Install the extension with the button above.", cut.Find("[data-testid=check-settings]").TextContent, StringComparison.Ordinal), TimeSpan.FromSeconds(20));
        Assert.DoesNotContain("from the cluster page", cut.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void ClusterDetail_ForUnknownCluster_SaysNotFound()
    {
        var cut = RenderPage<ClusterDetail>(p => p.Add(x => x.Name, "nope"));

        cut.WaitForAssertion(() => Assert.Contains("Cluster 'nope' is not registered.", cut.Find("[data-testid=empty-state]").TextContent, StringComparison.Ordinal));
    }
}
