using System.Diagnostics;
using System.Net;
using k8s;
using k8s.Autorest;
using Microsoft.Extensions.DependencyInjection;
using Studio.Domain.Jobs;
using Studio.Infrastructure.Jobs;

namespace Studio.Infrastructure.Tests.Jobs;

/// <summary>How a submit's record write and its objects' apply relate: refusals, transient failures, a backlog, a cancel before the apply.</summary>
public sealed class JobSubmitApplyTests(JobsFixture fixture) : IClassFixture<JobsFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static JobSpec Spec(string command) =>
        new() { Compute = TestWorkspace.Compute, Command = command, Image = "mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu22.04:20240101" };

    [Fact]
    public async Task Submit_WhenTheClusterRefusesTheJob_AnswersQueued_ThenTheJobFailsWithTheClustersWords()
    {
        var ws = await fixture.NewWorkspaceAsync(Ct);
        fixture.Sandbox.FailNextRequests(403, resource: "jobs", method: "PATCH");

        var submitted = await fixture.Submissions.SubmitAsync(ws.Scientist, ws.Name, Spec("echo refused"), Ct);

        Assert.True(submitted.IsSuccess, string.Join("; ", submitted.Errors.Select(e => e.Message)));
        Assert.True(submitted.Value.State is JobState.Queued or JobState.Failed, $"{submitted.Value.State}");
        var detail = await fixture.WaitForStateAsync(ws, submitted.Value.Name, JobState.Failed, Ct);
        Assert.Equal(TrainingJob.SubmitFailed, detail.Summary.Reason);
        Assert.Contains("forbidden", detail.Explanation?.Detail ?? string.Empty, StringComparison.OrdinalIgnoreCase);
        Assert.Equal([JobState.Queued, JobState.Failed], detail.Timeline.Select(t => t.State));
    }

    [Fact]
    public async Task Submit_WithAnApplyWait_AnswersFailed_WhenTheClusterRefusesTheJob()
    {
        var ws = await fixture.NewWorkspaceAsync(Ct);
        await using var studio = JobsFixture.CreateServices(fixture.DataFolder, new Dictionary<string, string?> { [$"{JobsOptions.SectionName}:ApplyWait"] = "00:00:30" });
        fixture.Sandbox.FailNextRequests(403, resource: "jobs", method: "PATCH");

        var submitted = await studio.GetRequiredService<JobSubmissionService>().SubmitAsync(ws.Scientist, ws.Name, Spec("echo refused at once"), Ct);

        Assert.True(submitted.IsSuccess, string.Join("; ", submitted.Errors.Select(e => e.Message)));
        Assert.Equal(JobState.Failed, submitted.Value.State);
        var detail = (await fixture.Queries.GetAsync(ws.Scientist, ws.Name, submitted.Value.Name, Ct)).Value;
        Assert.Equal((JobState.Failed, TrainingJob.SubmitFailed), (detail.Summary.State, detail.Summary.Reason));
    }

    [Fact]
    public async Task Submit_WhenTheApplyFailsTransiently_RetriesIt_AndTheJobRuns()
    {
        var ws = await fixture.NewWorkspaceAsync(Ct);
        fixture.Sandbox.FailNextRequests(503, count: 2, resource: "jobs", method: "PATCH");

        var submitted = await fixture.Submissions.SubmitAsync(ws.Scientist, ws.Name, Spec("echo retried"), Ct);

        Assert.True(submitted.IsSuccess, string.Join("; ", submitted.Errors.Select(e => e.Message)));
        Assert.NotEqual(JobState.Failed, submitted.Value.State);
        var done = await fixture.WaitForStateAsync(ws, submitted.Value.Name, JobState.Completed, Ct);
        Assert.Equal(JobState.Queued, done.Timeline[0].State);
    }

    [Fact]
    public async Task SubmitsBehindABacklog_AnswerQueuedBeforeTheirApply_AndAllRun_ButOneCanceledMeanwhileNeverRuns()
    {
        var ws = await fixture.NewWorkspaceAsync(Ct);
        var workers = fixture.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<JobsOptions>>().Value.ApplyConcurrency;
        var latency = TimeSpan.FromSeconds(5);

        // Resolve once before the cluster turns slow (the extension's node selector and the gang scheduler are cached).
        Assert.True((await fixture.Submissions.PreviewManifestsAsync(ws.Scientist, ws.Name, Spec("echo warm"), Ct)).IsSuccess);
        fixture.Sandbox.RequestLatency = latency;
        (string Name, JobState State, TimeSpan Took)[] answers;
        string canceled;
        try
        {
            // More submits than apply workers: with every apply taking the latency, the ones behind answer without waiting for theirs.
            answers = await Task.WhenAll(Enumerable.Range(0, (2 * workers) + 1).Select(async i =>
            {
                var sw = Stopwatch.StartNew();
                var submitted = await fixture.Submissions.SubmitAsync(ws.Scientist, ws.Name, Spec($"echo backlog {i}"), $"backlog-{i}", Ct);
                Assert.True(submitted.IsSuccess, string.Join("; ", submitted.Errors.Select(e => e.Message)));
                return (submitted.Value.Name, submitted.Value.State, sw.Elapsed);
            }));
            // Every apply takes the latency, so an answer sooner came before its apply: none waits for its apply.
            var report = string.Join(", ", answers.Select(a => $"{a.Name} {a.State} {a.Took.TotalMilliseconds:0} ms"));
            var early = answers.Where(a => a.Took < latency).ToList();
            Assert.Equal(answers.Length, early.Count);
            Assert.All(early, a => Assert.Equal(JobState.Queued, a.State));
            Assert.True(answers.Count(a => a.Took < TimeSpan.FromSeconds(1.5)) >= workers + 1, report);

            // A retry of an answered submit is the same job, applied or not.
            var again = await fixture.Submissions.SubmitAsync(ws.Scientist, ws.Name, Spec("echo backlog 0"), "backlog-0", Ct);
            Assert.Equal((answers[0].Name, false), (again.Value.Name, again.Value.Created));

            canceled = early[^1].Name;
            Assert.True((await fixture.Cancellations.CancelAsync(ws.Scientist, ws.Name, canceled, Ct)).IsSuccess);
        }
        finally
        {
            fixture.Sandbox.RequestLatency = TimeSpan.Zero;
        }

        foreach (var (name, _, _) in answers.Where(a => a.Name != canceled))
        {
            await fixture.WaitForStateAsync(ws, name, JobState.Completed, Ct, seconds: 120);
        }

        Assert.Equal(JobState.Canceled, (await fixture.Queries.GetAsync(ws.Scientist, ws.Name, canceled, Ct)).Value.Summary.State);
        var gone = false;
        var canceledName = await fixture.KubernetesNameAsync(ws, canceled, Ct);
        for (var i = 0; i < 50 && !gone; i++)
        {
            try
            {
                await fixture.Client.BatchV1.ReadNamespacedJobAsync(canceledName, ws.Namespace, cancellationToken: Ct);
                await Task.Delay(200, Ct);
            }
            catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
            {
                gone = true;
            }
        }

        Assert.True(gone, $"Job {canceled} was canceled before its apply, yet it exists on the cluster.");
    }

    [Fact]
    public async Task QueuedJob_WhoseApplyWasLost_IsAppliedByTheTracker_AndRuns_InsteadOfFailingAsDeleted()
    {
        var ws = await fixture.NewWorkspaceAsync(Ct);
        string name;
        await using (var stopped = JobsFixture.CreateServices(fixture.DataFolder, new Dictionary<string, string?> { [$"{JobsOptions.SectionName}:ApplyWait"] = "00:00:00" }))
        {
            // This studio stops (or crashes) right after recording the job: the apply it queues is never made.
            stopped.GetRequiredService<JobApplyQueue>().Dispose();
            var submitted = await stopped.GetRequiredService<JobSubmissionService>().SubmitAsync(ws.Scientist, ws.Name, Spec("sleep infinity"), Ct);
            Assert.True(submitted.IsSuccess, string.Join("; ", submitted.Errors.Select(e => e.Message)));
            Assert.Equal(JobState.Queued, submitted.Value.State);
            name = submitted.Value.Name;
        }

        var kubernetesName = await fixture.KubernetesNameAsync(ws, name, Ct);
        Assert.Equal(HttpStatusCode.NotFound, (await Assert.ThrowsAsync<HttpOperationException>(() => fixture.Client.BatchV1.ReadNamespacedJobAsync(kubernetesName, ws.Namespace, cancellationToken: Ct))).Response.StatusCode);

        // A replica (or the restarted studio) that takes a job's absence for a deletion after two seconds.
        await using var replica = JobsFixture.CreateServices(fixture.DataFolder, new Dictionary<string, string?> { [$"{JobTrackerOptions.SectionName}:MissingGrace"] = "00:00:02" });
        var tracker = replica.GetRequiredService<JobTracker>();
        await tracker.StartAsync(Ct);
        try
        {
            var detail = await fixture.WaitAsync(ws, name, d => d.Summary.State is JobState.Running || JobLifecycle.IsTerminal(d.Summary.State), Ct, seconds: 90);
            Assert.Equal(JobState.Running, detail.Summary.State);
            var job = await fixture.Client.BatchV1.ReadNamespacedJobAsync(kubernetesName, ws.Namespace, cancellationToken: Ct);
            Assert.Equal(kubernetesName, job.Metadata.Name);
        }
        finally
        {
            await tracker.StopAsync(CancellationToken.None);
            await fixture.Cancellations.CancelAsync(ws.Scientist, ws.Name, name, CancellationToken.None);
        }
    }

    [Fact]
    public async Task RunningJob_WhoseKubernetesJobIsDeletedOutsideStudio_StillFailsAsDeleted_AndIsNotAppliedAgain()
    {
        var ws = await fixture.NewWorkspaceAsync(Ct);
        var submitted = await fixture.Submissions.SubmitAsync(ws.Scientist, ws.Name, Spec("sleep infinity"), Ct);
        Assert.True(submitted.IsSuccess, string.Join("; ", submitted.Errors.Select(e => e.Message)));
        var name = submitted.Value.Name;
        await fixture.WaitForStateAsync(ws, name, JobState.Running, Ct);

        var kubernetesName = await fixture.KubernetesNameAsync(ws, name, Ct);
        await fixture.Client.BatchV1.DeleteNamespacedJobAsync(kubernetesName, ws.Namespace, propagationPolicy: "Background", cancellationToken: Ct);

        var failed = await fixture.WaitForStateAsync(ws, name, JobState.Failed, Ct);
        Assert.Equal(JobStatusMapping.Deleted, failed.Summary.Reason);
        await Task.Delay(TimeSpan.FromSeconds(2), Ct);
        Assert.Equal(HttpStatusCode.NotFound, (await Assert.ThrowsAsync<HttpOperationException>(() => fixture.Client.BatchV1.ReadNamespacedJobAsync(kubernetesName, ws.Namespace, cancellationToken: Ct))).Response.StatusCode);
    }
}
