using k8s;
using k8s.Models;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Studio.Domain.Jobs;
using Studio.Infrastructure.Jobs;
using Studio.Infrastructure.Persistence;

namespace Studio.Infrastructure.Tests.Jobs;

/// <summary>Workspaces that share a namespace: their jobs' Kubernetes objects never collide, and no record attaches to another's objects.</summary>
public sealed class JobIsolationTests(JobsFixture fixture) : IClassFixture<JobsFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static JobSpec Spec(string name, string command) =>
        new() { Compute = TestWorkspace.Compute, Name = name, Command = command, Image = "mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu22.04:20240101" };

    [Fact]
    public async Task TwoWorkspacesSharingANamespace_BothSubmitCollide_EachSeesOnlyItsOwnPodAndLogs_AndCancellingOneLeavesTheOtherRunning()
    {
        var a = await fixture.NewWorkspaceAsync(Ct);
        var b = await fixture.NewWorkspaceAsync(Ct, sharedNamespace: a.Namespace);

        var submittedA = await fixture.Submissions.SubmitAsync(a.Scientist, a.Name, Spec("collide", "echo from-workspace-a; sleep infinity"), Ct);
        var submittedB = await fixture.Submissions.SubmitAsync(b.Scientist, b.Name, Spec("collide", "echo from-workspace-b; sleep infinity"), Ct);

        Assert.True(submittedA.IsSuccess && submittedB.IsSuccess, string.Join("; ", submittedA.Errors.Concat(submittedB.Errors).Select(e => e.Message)));
        Assert.Equal(("collide", "collide"), (submittedA.Value.Name, submittedB.Value.Name));
        var runningA = await fixture.WaitAsync(a, "collide", d => d.Summary.State == JobState.Running && d.Pods.Count == 1, Ct);
        var runningB = await fixture.WaitAsync(b, "collide", d => d.Summary.State == JobState.Running && d.Pods.Count == 1, Ct);

        // An independent client sees two Jobs in the one namespace, each labelled with its own workspace.
        var jobs = (await fixture.Client.BatchV1.ListNamespacedJobAsync(a.Namespace, cancellationToken: Ct)).Items;
        Assert.Equal(2, jobs.Count);
        var jobA = Assert.Single(jobs, j => j.Metadata.Labels["studio.io/workspace-id"] == a.Id.ToString("N"));
        var jobB = Assert.Single(jobs, j => j.Metadata.Labels["studio.io/workspace-id"] == b.Id.ToString("N"));
        Assert.NotEqual(jobA.Metadata.Name, jobB.Metadata.Name);
        Assert.All(jobs, j => Assert.StartsWith("collide-", j.Metadata.Name, StringComparison.Ordinal));
        var podA = Assert.Single(runningA.Pods);
        var podB = Assert.Single(runningB.Pods);
        Assert.StartsWith(jobA.Metadata.Name + "-", podA.Name, StringComparison.Ordinal);
        Assert.StartsWith(jobB.Metadata.Name + "-", podB.Name, StringComparison.Ordinal);

        var logsA = await WaitForLogsAsync(a, "from-workspace-a");
        var logsB = await WaitForLogsAsync(b, "from-workspace-b");
        Assert.DoesNotContain(logsA, l => l.Text.Contains("from-workspace-b", StringComparison.Ordinal));
        Assert.DoesNotContain(logsB, l => l.Text.Contains("from-workspace-a", StringComparison.Ordinal));
        Assert.All(logsA, l => Assert.Equal(podA.Name, l.Pod));

        var canceled = await fixture.Cancellations.CancelAsync(b.Scientist, b.Name, "collide", Ct);

        Assert.True(canceled.IsSuccess, string.Join("; ", canceled.Errors.Select(e => e.Message)));
        await WaitUntilAsync(async () => (await fixture.Client.BatchV1.ListNamespacedJobAsync(a.Namespace, cancellationToken: Ct)).Items.All(j => j.Metadata.Name != jobB.Metadata.Name));
        await Task.Delay(TimeSpan.FromSeconds(2), Ct);
        var stillA = await fixture.Client.BatchV1.ReadNamespacedJobAsync(jobA.Metadata.Name, a.Namespace, cancellationToken: Ct);
        Assert.Equal(jobA.Metadata.Uid, stillA.Metadata.Uid);
        var podsA = (await fixture.Client.CoreV1.ListNamespacedPodAsync(a.Namespace, labelSelector: $"studio.io/job={jobA.Metadata.Name}", cancellationToken: Ct)).Items;
        Assert.Equal("Running", Assert.Single(podsA).Status.Phase);
        Assert.Equal(JobState.Running, (await fixture.Queries.GetAsync(a.Scientist, a.Name, "collide", Ct)).Value.Summary.State);
        Assert.Equal(JobState.Canceled, (await fixture.Queries.GetAsync(b.Scientist, b.Name, "collide", Ct)).Value.Summary.State);
        await fixture.Cancellations.CancelAsync(a.Scientist, a.Name, "collide", Ct);
    }

    [Fact]
    public async Task PodLabelledAsAnotherWorkspacesJob_NeverAttachesToTheRecord()
    {
        var a = await fixture.NewWorkspaceAsync(Ct);
        var b = await fixture.NewWorkspaceAsync(Ct, sharedNamespace: a.Namespace);
        Assert.True((await fixture.Submissions.SubmitAsync(a.Scientist, a.Name, Spec("mine", "echo mine; sleep infinity"), Ct)).IsSuccess);
        await fixture.WaitAsync(a, "mine", d => d.Summary.State == JobState.Running && d.Pods.Count == 1, Ct);
        var kubernetesName = await fixture.KubernetesNameAsync(a, "mine", Ct);

        // Someone in the shared namespace makes a pod carrying A's job label but B's workspace id.
        await fixture.Client.CoreV1.CreateNamespacedPodAsync(
            new V1Pod
            {
                Metadata = new V1ObjectMeta { Name = "impostor", Labels = new Dictionary<string, string> { ["studio.io/job"] = kubernetesName, ["studio.io/workspace-id"] = b.Id.ToString("N") } },
                Spec = new V1PodSpec { RestartPolicy = "Never", Containers = [new V1Container { Name = "main", Image = "busybox:1.36", Command = ["sh", "-c", "echo impostor; sleep infinity"] }] },
            },
            a.Namespace,
            cancellationToken: Ct);
        await Task.Delay(TimeSpan.FromSeconds(3), Ct);

        var detail = (await fixture.Queries.GetAsync(a.Scientist, a.Name, "mine", Ct)).Value;
        Assert.DoesNotContain(detail.Pods, p => p.Name == "impostor");
        Assert.Single(detail.Pods);
        var logs = (await fixture.Logs.LogsAsync(a.Scientist, a.Name, "mine", null, null, Ct)).Value;
        Assert.DoesNotContain(logs, l => l.Pod == "impostor");
        Assert.Equal(JobState.Running, detail.Summary.State);
        await fixture.Cancellations.CancelAsync(a.Scientist, a.Name, "mine", Ct);
    }

    [Fact]
    public async Task Submit_WhoseKubernetesNameIsTakenByAnObjectNotItsOwn_FailsWithTheReason_AndLeavesTheObjectAlone()
    {
        var ws = await fixture.NewWorkspaceAsync(Ct);
        var taken = JobNames.KubernetesName(ws.Id, "taken");
        var foreign = await fixture.Client.BatchV1.CreateNamespacedJobAsync(
            new V1Job
            {
                Metadata = new V1ObjectMeta { Name = taken, Labels = new Dictionary<string, string> { ["team"] = "someone-else" } },
                Spec = new V1JobSpec { Template = new V1PodTemplateSpec { Spec = new V1PodSpec { RestartPolicy = "Never", Containers = [new V1Container { Name = "main", Image = "busybox:1.36", Command = ["sleep", "infinity"] }] } } },
            },
            ws.Namespace,
            cancellationToken: Ct);

        var submitted = await fixture.Submissions.SubmitAsync(ws.Scientist, ws.Name, Spec("taken", "echo mine"), Ct);

        Assert.True(submitted.IsSuccess, string.Join("; ", submitted.Errors.Select(e => e.Message)));
        var failed = await fixture.WaitForStateAsync(ws, "taken", JobState.Failed, Ct);
        Assert.Equal(TrainingJob.SubmitFailed, failed.Summary.Reason);
        Assert.Contains("does not take it over", failed.Explanation?.Detail ?? string.Empty, StringComparison.Ordinal);
        var after = await fixture.Client.BatchV1.ReadNamespacedJobAsync(taken, ws.Namespace, cancellationToken: Ct);
        Assert.Equal(foreign.Metadata.Uid, after.Metadata.Uid);
        Assert.False(after.Metadata.Labels.ContainsKey("studio.io/job"));
        Assert.Equal("someone-else", after.Metadata.Labels["team"]);
    }

    [Fact]
    public async Task JobRecordedBeforeNamesWereUniquePerNamespace_IsStillTrackedByItsOldName_AfterTheUpgrade()
    {
        var ws = await fixture.NewWorkspaceAsync(Ct);
        await using (var stopped = JobsFixture.CreateServices(fixture.DataFolder, new Dictionary<string, string?> { [$"{JobsOptions.SectionName}:ApplyWait"] = "00:00:00" }))
        {
            // Recorded, but its apply never made: the record and the objects below are what an older Studio left.
            stopped.GetRequiredService<JobApplyQueue>().Dispose();
            Assert.True((await stopped.GetRequiredService<JobSubmissionService>().SubmitAsync(ws.Scientist, ws.Name, Spec("legacy", "sleep infinity"), Ct)).IsSuccess);
        }

        // What the upgrade's migration does to every existing record: its objects keep the Studio name.
        await using (var db = fixture.Services.GetRequiredService<IDbContextFactory<StudioDbContext>>().CreateDbContext())
        {
            Assert.Equal(1, await db.Jobs.Where(j => j.WorkspaceId == ws.Id && j.Name == "legacy").ExecuteUpdateAsync(u => u.SetProperty(j => j.KubernetesName, j => j.Name), Ct));
        }

        var template = new V1PodTemplateSpec
        {
            Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["studio.io/job"] = "legacy", ["studio.io/workspace"] = ws.Name } },
            Spec = new V1PodSpec { RestartPolicy = "Never", Containers = [new V1Container { Name = "main", Image = "busybox:1.36", Command = ["sh", "-c", "echo from-the-old-days; sleep infinity"] }] },
        };
        await fixture.Client.BatchV1.CreateNamespacedJobAsync(
            new V1Job { Metadata = new V1ObjectMeta { Name = "legacy", Labels = new Dictionary<string, string> { ["studio.io/job"] = "legacy", ["studio.io/workspace"] = ws.Name } }, Spec = new V1JobSpec { Template = template } },
            ws.Namespace,
            cancellationToken: Ct);

        var running = await fixture.WaitAsync(ws, "legacy", d => d.Summary.State == JobState.Running && d.Pods.Count == 1, Ct);
        Assert.StartsWith("legacy-", Assert.Single(running.Pods).Name, StringComparison.Ordinal);
        var canceled = await fixture.Cancellations.CancelAsync(ws.Scientist, ws.Name, "legacy", Ct);
        Assert.True(canceled.IsSuccess, string.Join("; ", canceled.Errors.Select(e => e.Message)));
        await WaitUntilAsync(async () => (await fixture.Client.BatchV1.ListNamespacedJobAsync(ws.Namespace, cancellationToken: Ct)).Items.All(j => j.Metadata.Name != "legacy"));
    }

    private async Task<IReadOnlyList<JobLogLine>> WaitForLogsAsync(TestWorkspace ws, string text)
    {
        IReadOnlyList<JobLogLine> logs = [];
        for (var i = 0; i < 100; i++)
        {
            logs = (await fixture.Logs.LogsAsync(ws.Scientist, ws.Name, "collide", null, null, Ct)).Value;
            if (logs.Any(l => l.Text.Contains(text, StringComparison.Ordinal)))
            {
                return logs;
            }

            await Task.Delay(200, Ct);
        }

        Assert.Fail($"The logs of {ws.Name}/collide never said '{text}': {string.Join(" | ", logs.Select(l => l.Text))}");
        return logs;
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        for (var i = 0; i < 150; i++)
        {
            if (await condition())
            {
                return;
            }

            await Task.Delay(200, Ct);
        }

        Assert.Fail("The condition was never met.");
    }
}
