using Bunit;
using k8s;
using k8s.Models;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.DependencyInjection;
using Studio.Domain.Workspaces;
using Studio.Infrastructure.Clusters;
using Studio.Infrastructure.Compute;
using Studio.Infrastructure.Workspaces;
using Studio.Sandbox;
using Studio.Web.Components.Controls;
using Studio.Web.Components.Pages;
using Studio.Web.Model;
using Studio.Web.Security;
using Studio.Web.Tests.Shared;

namespace Studio.Web.Tests.Pages;

public sealed class ComputePagesTests : StudioTestContext
{
    private static readonly Actor Admin = new("admin", "Admin", WorkspaceRole.Administrator);

    private static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    private async Task<SandboxServer> AttachedAsync()
    {
        var sandbox = await SandboxServer.StartAsync(new SandboxOptions { Port = 0 }, Ct);
        Assert.True((await Services.GetRequiredService<ClusterService>().RegisterAsync(Admin, new RegisterClusterRequest("lab", null, sandbox.CreateKubeconfigYaml(), null), Ct)).IsSuccess);
        Assert.True((await Services.GetRequiredService<ExtensionService>().InstallAsync(Admin, "lab", new ExtensionSettings(), Ct)).IsSuccess);
        var workspaces = Services.GetRequiredService<WorkspaceService>();
        await workspaces.CreateAsync(Admin, "vision", null, Ct);
        await workspaces.SetMemberAsync(Admin, "vision", "dana", "Dana", WorkspaceRole.DataScientist, Ct);
        Assert.True((await Services.GetRequiredService<ComputeService>().AttachAsync(Admin, "vision", new AttachComputeRequest("gpu", "lab", "vision-gpu", CreateNamespace: true), Ct)).IsSuccess);
        Services.GetRequiredService<UserPreferences>().Seed(false, "vision");
        return sandbox;
    }

    private IRenderedComponent<CascadingAuthenticationState> RenderPage<TPage>(string user, string[] roles, Action<ComponentParameterCollectionBuilder<TPage>>? parameters = null)
        where TPage : StudioPage => RenderInWorkspace("vision", user, roles, parameters);

    [Fact]
    public async Task Compute_ForADataScientist_ListsTheWorkspacesTargetsWithoutAttachOrDetach()
    {
        await using var sandbox = await AttachedAsync();

        var cut = RenderPage<Compute>("dana", []);

        cut.WaitForAssertion(() => Assert.Contains("Succeeded", cut.Find("[data-testid=state-gpu]").TextContent, StringComparison.Ordinal));
        // Counts in words, not "0 job(s), 0 endpoint(s)" (issue 22's copy).
        cut.WaitForAssertion(() => Assert.Contains("No jobs running · no endpoints · 1 instance type", cut.Find("[data-testid=computes-grid]").TextContent, StringComparison.Ordinal));
        Assert.Empty(cut.FindAll("[data-testid=attach-compute]"));
        Assert.Empty(cut.FindAll("[data-testid=detach-gpu]"));
    }

    [Fact]
    public async Task ComputeDetail_ShowsTheRunningJobAndTheInstanceTypes()
    {
        await using var sandbox = await AttachedAsync();
        using var client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(sandbox.CreateKubeconfigYaml()))));
        await client.BatchV1.CreateNamespacedJobAsync(new V1Job
        {
            Metadata = new V1ObjectMeta { Name = "train-7" },
            Spec = new V1JobSpec { Template = new V1PodTemplateSpec { Spec = new V1PodSpec { RestartPolicy = "Never", Containers = [new V1Container { Name = "main", Image = "python:3.12" }] } } },
        }, "vision-gpu", cancellationToken: Ct);

        var cut = RenderPage<ComputeDetail>("admin", [StudioRoles.Administrator], p => p.Add(x => x.Name, "gpu"));

        cut.WaitForAssertion(() => Assert.Contains("train-7", cut.Find("[data-testid=compute-properties]").TextContent, StringComparison.Ordinal));
        Assert.Contains("defaultinstancetype", cut.Find("[data-testid=compute-properties]").TextContent, StringComparison.Ordinal);
        Assert.Contains("(created by Studio)", cut.Markup, StringComparison.Ordinal);
        Assert.Contains("Succeeded", cut.Find("[data-testid=compute-state]").TextContent, StringComparison.Ordinal);
        Assert.Equal("restricted", cut.Find("[data-testid=compute-pod-security]").TextContent.Trim());
        Assert.Single(cut.FindAll("[data-testid=compute-pod-security-save]"));
    }

    [Fact]
    public async Task ComputeDetail_WithNoJobsOrEndpoints_SaysNoneRatherThanLeavingTheRowsBlank()
    {
        await using var sandbox = await AttachedAsync();

        var cut = RenderPage<ComputeDetail>("dana", [], p => p.Add(x => x.Name, "gpu"));

        cut.WaitForAssertion(() => Assert.Equal("none", cut.Find("[data-testid=compute-running-jobs]").TextContent.Trim()));
        Assert.Equal("none", cut.Find("[data-testid=compute-endpoints]").TextContent.Trim());
    }

    [Theory]
    [InlineData(ComputeTargetState.Succeeded, null, "Compute target 'gpulab' is attached and ready.")]
    [InlineData(ComputeTargetState.Failed, "the namespace is refused", "Compute target 'gpulab' could not be attached: the namespace is refused")]
    public void AttachOutcome_SaysWhatHappened_NotTheStateName(ComputeTargetState state, string? reason, string expected)
    {
        var compute = new ComputeSummary("vision", "gpulab", "lab", Guid.NewGuid(), "vision-gpu", state, reason, "defaultinstancetype", null, null, null, true, DateTimeOffset.UtcNow);

        Assert.Equal(expected, Compute.Outcome(compute));
    }

    [Fact]
    public async Task ComputeDetail_ForADataScientist_ShowsTheEffectivePodSecurity_WithoutTheControl()
    {
        await using var sandbox = await AttachedAsync();
        Assert.True((await Services.GetRequiredService<ComputeService>().SetPodSecurityAsync(Admin, "vision", "gpu", PodSecurityLevel.Baseline, Ct)).IsSuccess);

        var cut = RenderPage<ComputeDetail>("dana", [], p => p.Add(x => x.Name, "gpu"));

        cut.WaitForAssertion(() => Assert.Equal("baseline (root allowed)", cut.Find("[data-testid=compute-pod-security]").TextContent.Trim()));
        Assert.Empty(cut.FindAll("[data-testid=compute-pod-security-save]"));
    }
}
