using Studio.Domain.Clusters;
using Studio.Domain.InstanceTypes;
using Studio.Domain.Jobs;
using Studio.Domain.Workspaces;
using Studio.Infrastructure.Jobs;

namespace Studio.Infrastructure.Tests.Jobs;

/// <summary>Jobs the compute target's quota can never hold, annotations off the allow-list and objects over Kubernetes' size limit are refused before anything is stored.</summary>
public sealed class JobInputLimitsTests(JobsFixture fixture) : IClassFixture<JobsFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static JobSpec Spec(string instanceType = "cpu-small", int instances = 1) =>
        new() { Compute = TestWorkspace.Compute, Command = "echo hi", Image = "busybox:1.36", InstanceType = instanceType, InstanceCount = instances };

    [Fact]
    public async Task Preflight_OfAJobLargerThanTheQuotaItself_NeverFits_SayingWhatItAsksAndTheQuota()
    {
        // cpu-small asks 1 CPU / 2 GiB per instance; the quota holds 1 GiB of memory.
        var ws = await fixture.NewWorkspaceAsync(Ct, new NamespaceQuota(null, "1Gi", null));

        var report = await fixture.Submissions.PreflightAsync(ws.Scientist, ws.Name, Spec(), Ct);

        Assert.True(report.IsSuccess, string.Join("; ", report.Errors.Select(e => e.Message)));
        Assert.Equal(FitVerdict.NeverFits, report.Value.Verdict);
        Assert.Contains("Never fits this quota", report.Value.Summary, StringComparison.Ordinal);
        Assert.Contains("2 GiB", report.Value.Summary, StringComparison.Ordinal);
        Assert.Contains("1 GiB", report.Value.Summary, StringComparison.Ordinal);
        Assert.True(report.Value.Errors.ContainsKey("resources.instance_type"), string.Join("; ", report.Value.Errors));
    }

    [Fact]
    public async Task Submit_OfAJobLargerThanTheQuotaItself_IsRefusedOnTheField_AndNothingIsStored()
    {
        var ws = await fixture.NewWorkspaceAsync(Ct, new NamespaceQuota("3", null, null));

        var tooMany = await fixture.Submissions.SubmitAsync(ws.Scientist, ws.Name, Spec(instances: 4), Ct);
        var tooBig = await fixture.Submissions.SubmitAsync(ws.Scientist, ws.Name, Spec("huge"), Ct);

        var countError = Assert.Single(tooMany.Errors);
        Assert.Equal(("resources.instance_count", JobResolver.QuotaNeverFitsCode), (countError.Field, countError.Code));
        Assert.True(countError.IsUnprocessable);
        Assert.Contains("4 CPU", countError.Message, StringComparison.Ordinal);
        Assert.Contains("3 CPU", countError.Message, StringComparison.Ordinal);
        Assert.Equal("resources.instance_type", Assert.Single(tooBig.Errors).Field);
        var listed = await fixture.Queries.ListAsync(ws.Reader, ws.Name, new JobQuery(), Ct);
        Assert.Empty(listed.Value.Items);
    }

    [Fact]
    public async Task AJobThatFitsTheQuota_IsNotNeverFits_AndSubmits()
    {
        var ws = await fixture.NewWorkspaceAsync(Ct, new NamespaceQuota("3", "8Gi", 0));

        var report = await fixture.Submissions.PreflightAsync(ws.Scientist, ws.Name, Spec(instances: 3), Ct);
        var submitted = await fixture.Submissions.SubmitAsync(ws.Scientist, ws.Name, Spec(instances: 3), Ct);

        Assert.NotEqual(FitVerdict.NeverFits, report.Value.Verdict);
        Assert.Empty(report.Value.Errors);
        Assert.True(submitted.IsSuccess, string.Join("; ", submitted.Errors.Select(e => e.Message)));
    }

    [Fact]
    public async Task Preflight_WithACpuOnlyQuota_CountsOnlyTheCpuItLimits_NotZeroMemory()
    {
        var ws = await fixture.NewWorkspaceAsync(Ct, new NamespaceQuota("16", null, null));

        var report = await fixture.Submissions.PreflightAsync(ws.Scientist, ws.Name, Spec(), Ct);

        Assert.True(report.Value.Quota.Fits);
        Assert.Contains("16 CPU free", report.Value.Quota.Explanation, StringComparison.Ordinal);
        Assert.Contains("no limit on memory, GPUs", report.Value.Quota.Explanation, StringComparison.Ordinal);
        Assert.DoesNotContain("0 MiB", report.Value.Quota.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Preflight_CountsProblemsAsTheFieldsItLists()
    {
        var ws = await fixture.NewWorkspaceAsync(Ct);

        // Two messages on the command (unknown inputs) are one field to fix, listed once.
        var report = await fixture.Submissions.PreflightAsync(ws.Scientist, ws.Name, Spec() with { Command = "echo ${{inputs.a}} ${{inputs.b}}" }, Ct);

        var fields = report.Value.Errors.Count;
        Assert.True(fields > 0);
        Assert.StartsWith($"{fields} problem{(fields == 1 ? string.Empty : "s")} to fix", report.Value.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Submit_WithAPodAnnotationOffTheAllowList_OrReserved_IsRefused_ByDefault()
    {
        var ws = await fixture.NewWorkspaceAsync(Ct);

        var offList = await fixture.Submissions.SubmitAsync(ws.Scientist, ws.Name, Spec() with { PodAnnotations = new Dictionary<string, string> { ["example.com/x"] = "1" } }, Ct);
        var reserved = await fixture.Submissions.SubmitAsync(ws.Scientist, ws.Name, Spec() with { PodAnnotations = new Dictionary<string, string> { ["scheduling.x-k8s.io/min-member"] = "1" } }, Ct);
        var allowed = await fixture.Submissions.SubmitAsync(ws.Scientist, ws.Name, Spec() with { PodAnnotations = new Dictionary<string, string> { ["prometheus.io/scrape"] = "true" } }, Ct);

        Assert.Equal("pod_annotations.example.com/x", Assert.Single(offList.Errors).Field);
        Assert.Contains("Studio:Jobs:PodAnnotations:Allowed", offList.Errors[0].Message, StringComparison.Ordinal);
        Assert.Equal("pod_annotations.scheduling.x-k8s.io/min-member", Assert.Single(reserved.Errors).Field);
        Assert.True(allowed.IsSuccess, string.Join("; ", allowed.Errors.Select(e => e.Message)));
    }

    [Fact]
    public void Manifests_OverKubernetesObjectLimit_AreRefused_NamingTheObject()
    {
        var type = new InstanceType("cpu", new Dictionary<string, string>(), new ResourceAmounts(1000, 1L << 30, 0), new ResourceAmounts(1000, 1L << 30, 0));
        var spec = Spec() with { EnvironmentVariables = Enumerable.Range(0, 60).ToDictionary(i => $"V{i}", _ => new string('x', 30 * 1024)) };
        var small = JobManifests.Build(new JobPlan("ws", "train", "ns", "job-a", Spec(), type, "busybox:1.36"));
        var large = JobManifests.Build(new JobPlan("ws", "train", "ns", "job-a", spec, type, "busybox:1.36"));

        Assert.Null(JobManifests.TooLarge(small));
        var error = JobManifests.TooLarge(large);
        Assert.NotNull(error);
        Assert.Equal(JobManifests.TooLargeCode, error.Code);
        Assert.Contains("Job", error.Message, StringComparison.Ordinal);
        Assert.Contains("1536 KiB", error.Message, StringComparison.Ordinal);
    }
}
