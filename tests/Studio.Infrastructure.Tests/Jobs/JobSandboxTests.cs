using Studio.Domain.Jobs;
using Studio.Infrastructure.Jobs;

namespace Studio.Infrastructure.Tests.Jobs;

public sealed class JobSandboxTests(JobsFixture fixture) : IClassFixture<JobsFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private JobService Jobs => fixture.Jobs;

    private static JobSpec Spec(string command, string image = "mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu22.04:20240101", string? instanceType = null, int instances = 1) =>
        new() { Compute = TestWorkspace.Compute, Command = command, Image = image, InstanceType = instanceType, InstanceCount = instances };

    [Fact]
    public async Task SingleNodeJob_RunsToCompleted_WithItsLogsAndTimeline()
    {
        var ws = await fixture.NewWorkspaceAsync(Ct);

        var submitted = await Jobs.SubmitAsync(ws.Scientist, ws.Name, Spec("echo hello from studio") with { DisplayName = "Hello world" }, Ct);

        Assert.True(submitted.IsSuccess, string.Join("; ", submitted.Errors.Select(e => $"{e.Field}: {e.Message}")));
        Assert.StartsWith("hello-world-", submitted.Value.Name, StringComparison.Ordinal);
        var done = await fixture.WaitForStateAsync(ws, submitted.Value.Name, JobState.Completed, Ct);
        Assert.Equal(JobState.Queued, done.Timeline[0].State);
        Assert.Equal(JobState.Completed, done.Timeline[^1].State);
        Assert.NotNull(done.Summary.EndedAt);
        var pod = Assert.Single(done.Pods);
        Assert.Equal(("Succeeded", 0, "main"), (pod.Phase, pod.Rank, pod.Role));
        Assert.NotNull(pod.Node);
        var logs = await Jobs.LogsAsync(ws.Reader, ws.Name, submitted.Value.Name, null, null, Ct);
        Assert.Contains(logs.Value, l => l.Text.Contains("hello from studio", StringComparison.Ordinal));
        var listed = await Jobs.ListAsync(ws.Reader, ws.Name, new JobQuery(Status: JobState.Completed), Ct);
        Assert.Equal(submitted.Value.Name, Assert.Single(listed.Value.Items).Name);
    }
}
