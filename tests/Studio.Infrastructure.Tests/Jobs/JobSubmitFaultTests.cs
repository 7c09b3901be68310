using System.Text;
using k8s;
using Studio.Domain.Jobs;
using Studio.Infrastructure.Jobs;

namespace Studio.Infrastructure.Tests.Jobs;

/// <summary>Submits against a flaky or unreachable cluster (the sandbox's fault modes): transient errors are never final.</summary>
public sealed class JobSubmitFaultTests(JobsFixture fixture) : IClassFixture<JobsFixture>, IAsyncLifetime
{
    private readonly HttpClient _sandbox = new() { BaseAddress = fixture.Sandbox.BaseAddress };

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static JobSpec Spec(string command) =>
        new() { Compute = TestWorkspace.Compute, Command = command, Image = "mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu22.04:20240101" };

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        await _sandbox.DeleteAsync("/sandbox/faults", CancellationToken.None);
        _sandbox.Dispose();
    }

    [Fact]
    public async Task FiftyTwoSubmits_Under30PercentOf429sThen500s_AllGetAKubernetesJob_AndNoneFailsToSubmit()
    {
        var ws = await fixture.NewWorkspaceAsync(Ct);
        var names = new List<string>();

        foreach (var code in new[] { 429, 500 })
        {
            await SetFaultsAsync($$"""{"errorRate": 0.3, "errorCode": {{code}}}""");
            for (var i = 0; i < 26; i++)
            {
                var submitted = await fixture.Submissions.SubmitAsync(ws.Scientist, ws.Name, Spec($"echo {code}-{i}") with { Name = $"flaky-{code}-{i}" }, Ct);
                Assert.True(submitted.IsSuccess, string.Join("; ", submitted.Errors.Select(e => e.Message)));
                names.Add(submitted.Value.Name);
            }
        }

        await _sandbox.DeleteAsync("/sandbox/faults", Ct);
        var deadline = DateTime.UtcNow.AddSeconds(120);
        IReadOnlyList<string> missing = names;
        while (missing.Count > 0 && DateTime.UtcNow < deadline)
        {
            var jobs = (await fixture.Client.BatchV1.ListNamespacedJobAsync(ws.Namespace, labelSelector: $"studio.io/workspace-id={ws.Id:N}", cancellationToken: Ct)).Items;
            var applied = jobs.Select(j => j.Metadata.Labels["studio.io/job"]).ToHashSet(StringComparer.Ordinal);
            missing = [.. names.Where(n => !applied.Contains(JobNames.KubernetesName(ws.Id, n)))];
            await Task.Delay(500, Ct);
        }

        Assert.Empty(missing);
        var page = await fixture.Queries.ListAsync(ws.Reader, ws.Name, new JobQuery(PageSize: 100), Ct);
        Assert.Equal(52, page.Value.Total);
        Assert.DoesNotContain(page.Value.Items, j => j.Reason == TrainingJob.SubmitFailed);
    }

    [Fact]
    public async Task Submit_WhoseApplyOutlastsTheRetries_StaysQueuedWaitingForTheCluster_AndIsAppliedWhenItAnswers()
    {
        var ws = await fixture.NewWorkspaceAsync(Ct);

        // Every attempt of the first apply fails (the client's retries included); the cluster answers again after.
        fixture.Sandbox.FailNextRequests(503, count: 5, resource: "jobs", method: "PATCH");

        var submitted = await fixture.Submissions.SubmitAsync(ws.Scientist, ws.Name, Spec("echo patience"), Ct);

        Assert.True(submitted.IsSuccess, string.Join("; ", submitted.Errors.Select(e => e.Message)));
        var waiting = await fixture.WaitAsync(ws, submitted.Value.Name, d => d.Summary.Reason == TrainingJob.WaitingForCluster, Ct);
        Assert.Equal(JobState.Queued, waiting.Summary.State);
        await Task.Delay(TimeSpan.FromSeconds(2), Ct);
        Assert.Equal(JobState.Queued, (await fixture.Queries.GetAsync(ws.Scientist, ws.Name, submitted.Value.Name, Ct)).Value.Summary.State);

        var done = await fixture.WaitForStateAsync(ws, submitted.Value.Name, JobState.Completed, Ct, seconds: 120);
        Assert.DoesNotContain(done.Timeline, t => t.State == JobState.Failed);
    }

    private async Task SetFaultsAsync(string json)
    {
        using var content = new StringContent(json, Encoding.UTF8, "application/json");
        (await _sandbox.PutAsync("/sandbox/faults", content, Ct)).EnsureSuccessStatusCode();
    }
}
