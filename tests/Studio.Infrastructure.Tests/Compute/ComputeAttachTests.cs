using k8s;
using k8s.Models;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Studio.Domain.Common;
using Studio.Domain.Workspaces;
using Studio.Infrastructure.Compute;
using Studio.Infrastructure.Persistence;
using Studio.Infrastructure.Tests.Clusters;

namespace Studio.Infrastructure.Tests.Compute;

public sealed class ComputeAttachTests(SandboxClusterFixture fixture) : ComputeTestBase(fixture), IClassFixture<SandboxClusterFixture>
{
    [Fact]
    public async Task Attach_WithNewNamespaceAndQuota_CreatesThemAndRecordsTheTargetAsSucceeded()
    {
        var (cluster, _, client) = await InstalledClusterAsync();
        var ws = await NewWorkspaceAsync();

        var attached = await Computes.AttachAsync(Admin, ws, new AttachComputeRequest("team-a", cluster, "team-a", "Team A", Quota: new NamespaceQuota("4", "16Gi", 1), CreateNamespace: true), Ct);

        Assert.True(attached.IsSuccess, string.Join("; ", attached.Errors.Select(e => e.Message)));
        Assert.Equal(ComputeTargetState.Succeeded, attached.Value.State);
        Assert.True(attached.Value.NamespaceCreatedByStudio);
        Assert.Equal("studio", (await client.CoreV1.ReadNamespaceAsync("team-a", cancellationToken: Ct)).Metadata.Labels["app.kubernetes.io/managed-by"]);
        var quota = await client.CoreV1.ReadNamespacedResourceQuotaAsync("studio-quota", "team-a", cancellationToken: Ct);
        Assert.Equal(["requests.cpu=4", "requests.memory=16Gi", "requests.nvidia.com/gpu=1"], quota.Spec.Hard.Select(p => $"{p.Key}={p.Value}").Order(StringComparer.Ordinal));
        Assert.NotNull(await client.RbacAuthorizationV1.ReadNamespacedRoleBindingAsync("studio-compute", "team-a", cancellationToken: Ct));
        var listed = Assert.Single((await Computes.ListAsync(Admin, ws, Ct)).Value);
        Assert.Equal(("team-a", cluster, "team-a", ComputeTargetState.Succeeded, "defaultinstancetype"), (listed.Name, listed.Cluster, listed.Namespace, listed.State, listed.DefaultInstanceType));
        await using var db = Fixture.Services.GetRequiredService<IDbContextFactory<StudioDbContext>>().CreateDbContext();
        var audit = await db.AuditEntries.Where(a => a.Target == $"{ws}/team-a").Select(a => a.Action).ToListAsync(Ct);
        Assert.Equal(["compute.attach", "compute.succeeded"], audit);
    }

    [Fact]
    public async Task Attach_MissingNamespaceWithoutConfirmation_IsRefusedOnTheNamespaceField()
    {
        var (cluster, _, _) = await InstalledClusterAsync();
        var ws = await NewWorkspaceAsync();

        var result = await Computes.AttachAsync(Admin, ws, new AttachComputeRequest("team-b", cluster, "not-there"), Ct);

        Assert.Equal(("namespace_missing", "namespace"), (Assert.Single(result.Errors).Code, result.Errors[0].Field));
        Assert.Empty((await Computes.ListAsync(Admin, ws, Ct)).Value);
    }

    [Fact]
    public async Task Attach_SameClusterToTwoWorkspaces_EachWithItsOwnNamespace()
    {
        var (cluster, _, _) = await InstalledClusterAsync();
        var ws1 = await NewWorkspaceAsync();
        var ws2 = await NewWorkspaceAsync();

        var a = await Computes.AttachAsync(Admin, ws1, new AttachComputeRequest("shared", cluster, "ns-one", CreateNamespace: true), Ct);
        var b = await Computes.AttachAsync(Admin, ws2, new AttachComputeRequest("shared", cluster, "ns-two", CreateNamespace: true), Ct);
        var c = await Computes.AttachAsync(Admin, ws1, new AttachComputeRequest("again", cluster, "ns-three", CreateNamespace: true), Ct);

        Assert.All([a, b, c], r => Assert.Equal(ComputeTargetState.Succeeded, r.Value.State));
        Assert.Equal(2, (await Computes.ListAsync(Admin, ws1, Ct)).Value.Count);
        var summary = (await Clusters.GetAsync(cluster, Ct)).Value;
        Assert.Equal(3, summary.ComputeTargets.Count);
    }

    [Fact]
    public async Task Attach_NamespaceAnotherWorkspaceUses_NeedsExplicitConfirmation()
    {
        var (cluster, _, _) = await InstalledClusterAsync();
        var ws1 = await NewWorkspaceAsync();
        var ws2 = await NewWorkspaceAsync();
        Assert.True((await Computes.AttachAsync(Admin, ws1, new AttachComputeRequest("first", cluster, "busy", CreateNamespace: true), Ct)).IsSuccess);

        var preflight = (await Computes.PreflightAsync(Admin, ws2, new AttachComputeRequest("second", cluster, "busy"), Ct)).Value;
        var refused = await Computes.AttachAsync(Admin, ws2, new AttachComputeRequest("second", cluster, "busy"), Ct);
        var confirmed = await Computes.AttachAsync(Admin, ws2, new AttachComputeRequest("second", cluster, "busy", ConfirmSharedNamespace: true), Ct);

        Assert.Equal([$"{ws1}/first"], preflight.NamespaceUsedBy);
        Assert.Equal(("namespace_in_use", "namespace"), (Assert.Single(refused.Errors).Code, refused.Errors[0].Field));
        Assert.Equal(ComputeTargetState.Succeeded, confirmed.Value.State);
        Assert.False(confirmed.Value.NamespaceCreatedByStudio);
    }

    [Fact]
    public async Task Attach_DefaultNamespace_NeedsTheSharedNamespaceConfirmation()
    {
        var (cluster, _, _) = await InstalledClusterAsync();
        var ws = await NewWorkspaceAsync();

        var preflight = (await Computes.PreflightAsync(Admin, ws, new AttachComputeRequest("plain", cluster, "default"), Ct)).Value;
        var refused = await Computes.AttachAsync(Admin, ws, new AttachComputeRequest("plain", cluster, "default"), Ct);
        var confirmed = await Computes.AttachAsync(Admin, ws, new AttachComputeRequest("plain", cluster, "default", ConfirmSharedNamespace: true), Ct);

        Assert.Equal([ComputeNamespaces.DefaultNamespaceUsers], preflight.NamespaceUsedBy);
        Assert.Equal(CheckStatus.Warning, preflight.Checks.Single(c => c.Name == "namespace").Status);
        Assert.Equal(("namespace_in_use", "namespace"), (Assert.Single(refused.Errors).Code, refused.Errors[0].Field));
        Assert.Equal(ComputeTargetState.Succeeded, confirmed.Value.State);
    }

    [Theory]
    [InlineData("kube-system")]
    [InlineData("kube-public")]
    [InlineData("kube-node-lease")]
    [InlineData("studio-system")]
    public async Task Attach_ReservedNamespace_IsRefusedOnTheNamespaceField_InPreflightToo(string reserved)
    {
        var (cluster, _, _) = await InstalledClusterAsync();
        var ws = await NewWorkspaceAsync();

        var preflight = await Computes.PreflightAsync(Admin, ws, new AttachComputeRequest("sneaky", cluster, reserved), Ct);
        var refused = await Computes.AttachAsync(Admin, ws, new AttachComputeRequest("sneaky", cluster, reserved, CreateNamespace: true, ConfirmSharedNamespace: true), Ct);

        Assert.Equal(("namespace", "namespace_reserved"), (Assert.Single(preflight.Errors).Field, preflight.Errors[0].Code));
        Assert.Equal(("namespace", "namespace_reserved"), (Assert.Single(refused.Errors).Field, refused.Errors[0].Code));
        Assert.Contains("never run there", refused.Errors[0].Message, StringComparison.Ordinal);
        Assert.Empty((await Computes.ListAsync(Admin, ws, Ct)).Value);
    }

    [Fact]
    public async Task Preflight_WithoutExtension_FailsTheExtensionCheckAndAttachIsRefused()
    {
        var (cluster, _, _) = await NewClusterAsync();
        var ws = await NewWorkspaceAsync();

        var report = (await Computes.PreflightAsync(Admin, ws, new AttachComputeRequest("x1", cluster, "x1", Quota: new NamespaceQuota("100000", null, null)), Ct)).Value;
        var attach = await Computes.AttachAsync(Admin, ws, new AttachComputeRequest("x1", cluster, "x1", CreateNamespace: true), Ct);

        Assert.Equal(CheckStatus.Fail, report.Checks.Single(c => c.Name == "extension").Status);
        Assert.Equal(CheckStatus.Fail, report.Checks.Single(c => c.Name == "quota").Status);
        Assert.Equal(CheckStatus.Fail, report.Checks.Single(c => c.Name == "instanceTypes").Status);
        Assert.Equal(CheckStatus.Pass, report.Checks.Single(c => c.Name == "permissions").Status);
        Assert.Equal("preflight_failed", Assert.Single(attach.Errors).Code);
    }

    [Fact]
    public async Task Attach_InvalidFields_AreReportedTogether()
    {
        var (cluster, _, _) = await InstalledClusterAsync();
        var ws = await NewWorkspaceAsync();

        var result = await Computes.AttachAsync(Admin, ws, new AttachComputeRequest("1", cluster, "Bad_NS", Quota: new NamespaceQuota("lots", null, -1)), Ct);

        Assert.Equal(["name", "namespace", "quotaCpu", "quotaGpu"], result.Errors.Select(e => e.Field!).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Detach_WhileAJobRuns_IsRefusedUnlessCancelled()
    {
        var (cluster, _, client) = await InstalledClusterAsync();
        var ws = await NewWorkspaceAsync();
        Assert.True((await Computes.AttachAsync(Admin, ws, new AttachComputeRequest("trainer", cluster, "trainer", CreateNamespace: true), Ct)).IsSuccess);
        var job = await client.BatchV1.CreateNamespacedJobAsync(new V1Job
        {
            Metadata = new V1ObjectMeta { Name = "train-1" },
            Spec = new V1JobSpec { Template = new V1PodTemplateSpec { Spec = new V1PodSpec { RestartPolicy = "Never", Containers = [new V1Container { Name = "main", Image = "python:3.12" }] } } },
        }, "trainer", cancellationToken: Ct);
        await client.BatchV1.PatchNamespacedJobStatusAsync(new V1Patch("""{"status":{"active":1}}""", V1Patch.PatchType.MergePatch), job.Metadata.Name, "trainer", cancellationToken: Ct);

        var refused = await Computes.DetachAsync(Admin, ws, "trainer", cancelWorkloads: false, deleteNamespace: false, Ct);

        Assert.Equal("compute_busy", Assert.Single(refused.Errors).Code);
        Assert.Contains("train-1", refused.Errors[0].Message, StringComparison.Ordinal);
        Assert.Single((await Computes.ListAsync(Admin, ws, Ct)).Value);
        var detached = await Computes.DetachAsync(Admin, ws, "trainer", cancelWorkloads: true, deleteNamespace: false, Ct);
        Assert.True(detached.IsSuccess);
        Assert.Contains("Cancelled 1 job", detached.Value, StringComparison.Ordinal);
        Assert.Empty((await Computes.ListAsync(Admin, ws, Ct)).Value);
        Assert.NotNull(await client.CoreV1.ReadNamespaceAsync("trainer", cancellationToken: Ct));
    }

    [Fact]
    public async Task Detach_Idle_WithDeleteNamespace_DeletesOnlyANamespaceStudioCreated()
    {
        var (cluster, _, client) = await InstalledClusterAsync();
        var ws = await NewWorkspaceAsync();
        await client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = "theirs" } }, cancellationToken: Ct);
        Assert.True((await Computes.AttachAsync(Admin, ws, new AttachComputeRequest("mine", cluster, "mine", CreateNamespace: true), Ct)).IsSuccess);
        Assert.True((await Computes.AttachAsync(Admin, ws, new AttachComputeRequest("theirs", cluster, "theirs"), Ct)).IsSuccess);

        var mine = await Computes.DetachAsync(Admin, ws, "mine", false, deleteNamespace: true, Ct);
        var theirs = await Computes.DetachAsync(Admin, ws, "theirs", false, deleteNamespace: true, Ct);

        Assert.Contains("Deleted namespace 'mine'", mine.Value, StringComparison.Ordinal);
        Assert.Contains("kept: Studio did not create it", theirs.Value, StringComparison.Ordinal);
        Assert.NotNull(await client.CoreV1.ReadNamespaceAsync("theirs", cancellationToken: Ct));
    }

    [Fact]
    public async Task DataScientist_SeesComputeOfTheirWorkspacesOnly_AndCannotAttach()
    {
        var (cluster, _, _) = await InstalledClusterAsync();
        var ws = await NewWorkspaceAsync();
        var other = await NewWorkspaceAsync();
        var workspaces = Fixture.Services.GetRequiredService<Studio.Infrastructure.Workspaces.WorkspaceService>();
        Assert.True((await workspaces.SetMemberAsync(Admin, ws, "dana", "Dana", WorkspaceRole.DataScientist, Ct)).IsSuccess);
        Assert.True((await Computes.AttachAsync(Admin, ws, new AttachComputeRequest("cpu", cluster, "ds-ns", CreateNamespace: true), Ct)).IsSuccess);
        var dana = new Actor("dana", "Dana", null);

        var mine = await Computes.ListAsync(dana, ws, Ct);
        var notMine = await Computes.ListAsync(dana, other, Ct);
        var attach = await Computes.AttachAsync(dana, ws, new AttachComputeRequest("gpu", cluster, "ds-ns2", CreateNamespace: true), Ct);

        Assert.Single(mine.Value);
        Assert.Equal(ErrorKind.NotFound, Assert.Single(notMine.Errors).Kind);
        Assert.Equal(ErrorKind.Forbidden, Assert.Single(attach.Errors).Kind);
    }

    [Fact]
    public async Task EmbeddedDefault_IsCreatedOnce_IdempotentOnEveryStart_AndNeverRecreatedAfterRemoval()
    {
        var (cluster, _, client) = await NewClusterAsync();
        var ws = await NewWorkspaceAsync();

        Assert.True((await Computes.EnsureEmbeddedDefaultAsync(cluster, ws, "local-sandbox", "studio-local", Ct)).IsSuccess);
        Assert.True((await Computes.EnsureEmbeddedDefaultAsync(cluster, ws, "local-sandbox", "studio-local", Ct)).IsSuccess);

        Assert.Equal(ComputeTargetState.Succeeded, Assert.Single((await Computes.ListAsync(Admin, ws, Ct)).Value).State);
        Assert.True((await Extension.StatusAsync(cluster, Ct)).Value.Healthy);
        Assert.NotNull(await client.CoreV1.ReadNamespaceAsync("studio-local", cancellationToken: Ct));
        Assert.True((await Computes.DetachAsync(Admin, ws, "local-sandbox", false, true, Ct)).IsSuccess);
        Assert.True((await Computes.EnsureEmbeddedDefaultAsync(cluster, ws, "local-sandbox", "studio-local", Ct)).IsSuccess);
        Assert.Empty((await Computes.ListAsync(Admin, ws, Ct)).Value);
    }

    [Fact]
    public async Task Attach_InterruptedByTheCluster_IsFailedWithTheReason_AndAttachingAgainConverges()
    {
        var (cluster, sandbox, client) = await InstalledClusterAsync();
        var ws = await NewWorkspaceAsync();
        var request = new AttachComputeRequest("flaky", cluster, "flaky", Quota: new NamespaceQuota("2", null, null), CreateNamespace: true);
        sandbox.FailNextRequests(403, 1, "resourcequotas", "PATCH");

        var failed = (await Computes.AttachAsync(Admin, ws, request, Ct)).Value;
        var retried = (await Computes.AttachAsync(Admin, ws, request, Ct)).Value;

        Assert.Equal(ComputeTargetState.Failed, failed.State);
        Assert.Contains("403", failed.StateReason, StringComparison.Ordinal);
        Assert.Equal((ComputeTargetState.Succeeded, (string?)null), (retried.State, retried.StateReason));
        Assert.Single((await Computes.ListAsync(Admin, ws, Ct)).Value);
        Assert.Equal("2", (await client.CoreV1.ReadNamespacedResourceQuotaAsync("studio-quota", "flaky", cancellationToken: Ct)).Spec.Hard["requests.cpu"].ToString());
    }

    [Fact]
    public async Task Uninstall_IsRefusedWhileAttached_AndForcedRemovesTheExtensionButNeverTheUserNamespace()
    {
        var (cluster, _, client) = await InstalledClusterAsync();
        var ws = await NewWorkspaceAsync();
        Assert.True((await Computes.AttachAsync(Admin, ws, new AttachComputeRequest("keep", cluster, "keep-me", CreateNamespace: true), Ct)).IsSuccess);

        var refused = await Extension.UninstallAsync(Admin, cluster, force: false, Ct);
        var forced = await Extension.UninstallAsync(Admin, cluster, force: true, Ct);

        Assert.Equal("extension_in_use", Assert.Single(refused.Errors).Code);
        Assert.Contains($"{ws}/keep", refused.Errors[0].Message, StringComparison.Ordinal);
        Assert.True(forced.IsSuccess);
        Assert.False((await Extension.StatusAsync(cluster, Ct)).Value.Installed);
        Assert.DoesNotContain((await client.ApiextensionsV1.ListCustomResourceDefinitionAsync(cancellationToken: Ct)).Items, c => c.Metadata.Name == "instancetypes.amlarc.azureml.com");
        Assert.NotNull(await client.CoreV1.ReadNamespaceAsync("keep-me", cancellationToken: Ct));
    }
}
