using Studio.Infrastructure.Monitoring;

namespace Studio.Infrastructure.Tests.Monitoring;

public sealed class WorkloadStatsTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);

    private static WorkloadStats.JobFacts Job(string compute, string state, int createdMinutesAgo, int? waitedMinutes = null, string? reason = null) =>
        new("vision", compute, state, reason, Now.AddMinutes(-createdMinutesAgo), waitedMinutes is { } w ? Now.AddMinutes(-createdMinutesAgo + w) : null, null);

    [Fact]
    public void Build_CountsStates_QueuesWithWaitPercentiles_AndFailuresByReason()
    {
        var jobs = new[]
        {
            Job("gpu", "Completed", 50, waitedMinutes: 1),
            Job("gpu", "Running", 40, waitedMinutes: 2),
            Job("gpu", "Failed", 30, waitedMinutes: 3, reason: "OOMKilled"),
            Job("gpu", "Failed", 30, waitedMinutes: 4, reason: "OOMKilled"),
            Job("gpu", "Failed", 20, waitedMinutes: 5, reason: "ImagePullBackOff"),
            Job("gpu", "Queued", 10),
            Job("cpu", "Queued", 100),
        };

        var view = WorkloadStats.Build(jobs, Now);

        Assert.Equal(7, view.Jobs);
        Assert.Equal(2, view.ByState.Single(s => s.State == "Queued").Count);
        Assert.Equal(3, view.ByState.Single(s => s.State == "Failed").Count);
        Assert.Equal(0, view.ByState.Single(s => s.State == "Canceled").Count);
        var gpu = view.Queues.Single(q => q.Compute == "gpu");
        Assert.Equal(1, gpu.QueuedNow);
        Assert.Equal(6, gpu.Samples);
        Assert.Equal(TimeSpan.FromMinutes(3), gpu.WaitP50);
        Assert.Equal(TimeSpan.FromMinutes(10), gpu.WaitP90);
        Assert.Equal(TimeSpan.FromMinutes(100), view.Queues.Single(q => q.Compute == "cpu").WaitP90);
        Assert.Equal([("OOMKilled", 2), ("ImagePullBackOff", 1)], view.Failures);
    }

    [Fact]
    public void Build_WithNoJobs_IsEmpty() =>
        Assert.Equal((0, 0, 0), (WorkloadStats.Build([], Now).Jobs, WorkloadStats.Build([], Now).Queues.Count, WorkloadStats.Build([], Now).Failures.Count));
}
