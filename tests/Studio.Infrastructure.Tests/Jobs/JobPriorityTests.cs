using k8s;
using Studio.Domain.Jobs;
using Studio.Infrastructure.Jobs;

namespace Studio.Infrastructure.Tests.Jobs;

public sealed class JobPriorityTests(JobsFixture fixture) : IClassFixture<JobsFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Submit_WithPriority_CreatesASharedNonPreemptingPriorityClass_AndThePodsUseIt()
    {
        var ws = await fixture.NewWorkspaceAsync(Ct);
        var spec = new JobSpec { Compute = TestWorkspace.Compute, Command = "echo high", Image = "mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu22.04:20240101", Priority = 200 };

        var submitted = await fixture.Submissions.SubmitAsync(ws.Scientist, ws.Name, spec, Ct);
        var again = await fixture.Submissions.SubmitAsync(ws.Scientist, ws.Name, spec with { DisplayName = "second" }, Ct);

        Assert.True(submitted.IsSuccess, string.Join("; ", submitted.Errors.Select(e => $"{e.Field}: {e.Message}")));
        Assert.True(again.IsSuccess, string.Join("; ", again.Errors.Select(e => $"{e.Field}: {e.Message}")));
        var job = await fixture.WaitForKubernetesJobAsync(ws, submitted.Value.Name, Ct);
        var cls = await fixture.Client.SchedulingV1.ReadPriorityClassAsync("studio-priority-200", cancellationToken: Ct);
        Assert.Equal(200, cls.Value);
        Assert.Equal("Never", cls.PreemptionPolicy);
        Assert.Null(cls.Metadata.OwnerReferences);
        Assert.Equal("studio-priority-200", job.Spec.Template.Spec.PriorityClassName);
        await fixture.WaitForStateAsync(ws, submitted.Value.Name, JobState.Completed, Ct);
        Assert.Equal("studio-priority-m5", JobManifests.PriorityClassName(-5));
    }
}
