using k8s;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Studio.Domain.Workspaces;
using Studio.Infrastructure.Compute;
using Studio.Infrastructure.Persistence;
using Studio.Infrastructure.Tests.Clusters;

namespace Studio.Infrastructure.Tests.Compute;

/// <summary>A compute target's Pod Security Standard: restricted by default, baseline by an administrator's choice, enforced on its namespace.</summary>
public sealed class ComputePodSecurityTests(SandboxClusterFixture fixture) : ComputeTestBase(fixture), IClassFixture<SandboxClusterFixture>
{
    private static async Task<(string? Enforce, string? Version)> LabelsAsync(IKubernetes client, string ns)
    {
        IDictionary<string, string> labels = (await client.CoreV1.ReadNamespaceAsync(ns, cancellationToken: Ct)).Metadata.Labels ?? new Dictionary<string, string>();
        labels.TryGetValue("pod-security.kubernetes.io/enforce", out var enforce);
        labels.TryGetValue("pod-security.kubernetes.io/enforce-version", out var version);
        return (enforce, version);
    }

    [Fact]
    public async Task Attach_LabelsTheNamespaceRestricted_ByDefault_WhetherStudioCreatedItOrNot()
    {
        var (cluster, _, client) = await InstalledClusterAsync();
        var ws = await NewWorkspaceAsync();
        await client.CoreV1.CreateNamespaceAsync(new k8s.Models.V1Namespace { Metadata = new k8s.Models.V1ObjectMeta { Name = "existing", Labels = new Dictionary<string, string> { ["team"] = "a" } } }, cancellationToken: Ct);

        var created = await Computes.AttachAsync(Admin, ws, new AttachComputeRequest("new", cluster, "brand-new", CreateNamespace: true), Ct);
        var existing = await Computes.AttachAsync(Admin, ws, new AttachComputeRequest("old", cluster, "existing"), Ct);

        Assert.Equal(PodSecurityLevel.Restricted, created.Value.PodSecurity);
        Assert.Equal(("restricted", "latest"), await LabelsAsync(client, "brand-new"));
        Assert.Equal(ComputeTargetState.Succeeded, existing.Value.State);
        Assert.Equal(("restricted", "latest"), await LabelsAsync(client, "existing"));
        Assert.Equal("a", (await client.CoreV1.ReadNamespaceAsync("existing", cancellationToken: Ct)).Metadata.Labels["team"]);
    }

    [Fact]
    public async Task SetPodSecurity_ToBaseline_RelabelsTheNamespace_IsStored_AndOnlyAdministratorsMayChangeIt()
    {
        var (cluster, _, client) = await InstalledClusterAsync();
        var ws = await NewWorkspaceAsync();
        Assert.True((await Computes.AttachAsync(Admin, ws, new AttachComputeRequest("root-images", cluster, "root-ns", CreateNamespace: true), Ct)).IsSuccess);
        var scientist = new Actor("dana", "Dana", WorkspaceRole.DataScientist);

        var refused = await Computes.SetPodSecurityAsync(scientist, ws, "root-images", PodSecurityLevel.Baseline, Ct);
        var changed = await Computes.SetPodSecurityAsync(Admin, ws, "root-images", PodSecurityLevel.Baseline, Ct);

        Assert.Equal(Studio.Domain.Common.ErrorKind.Forbidden, Assert.Single(refused.Errors).Kind);
        Assert.True(changed.IsSuccess, string.Join("; ", changed.Errors.Select(e => e.Message)));
        Assert.Null(changed.Value.LiveProblem);
        Assert.Equal(PodSecurityLevel.Baseline, changed.Value.PodSecurity);
        Assert.Equal(("baseline", "latest"), await LabelsAsync(client, "root-ns"));
        Assert.Equal(PodSecurityLevel.Baseline, (await Computes.GetAsync(Admin, ws, "root-images", Ct)).Value.PodSecurity);
        await using var db = Fixture.Services.GetRequiredService<IDbContextFactory<StudioDbContext>>().CreateDbContext();
        Assert.Contains(await db.AuditEntries.Where(a => a.Target == $"{ws}/root-images").Select(a => a.Action + " " + a.Detail).ToListAsync(Ct), a => a == "compute.pod-security baseline");
    }

    [Fact]
    public async Task ASharedNamespace_StaysBaseline_WhileAnyOfItsTargetsIsBaseline()
    {
        var (cluster, _, client) = await InstalledClusterAsync();
        var ws1 = await NewWorkspaceAsync();
        var ws2 = await NewWorkspaceAsync();
        Assert.True((await Computes.AttachAsync(Admin, ws1, new AttachComputeRequest("alpha", cluster, "shared-ns", CreateNamespace: true, PodSecurity: PodSecurityLevel.Baseline), Ct)).IsSuccess);
        Assert.Equal(("baseline", "latest"), await LabelsAsync(client, "shared-ns"));

        var second = await Computes.AttachAsync(Admin, ws2, new AttachComputeRequest("beta", cluster, "shared-ns", ConfirmSharedNamespace: true), Ct);

        Assert.Equal(PodSecurityLevel.Restricted, second.Value.PodSecurity);
        Assert.Equal(("baseline", "latest"), await LabelsAsync(client, "shared-ns"));
        Assert.True((await Computes.SetPodSecurityAsync(Admin, ws1, "alpha", PodSecurityLevel.Restricted, Ct)).IsSuccess);
        Assert.Equal(("restricted", "latest"), await LabelsAsync(client, "shared-ns"));
    }
}
