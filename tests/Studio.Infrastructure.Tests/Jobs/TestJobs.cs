using Studio.Domain.Clusters;
using Studio.Domain.Jobs;

namespace Studio.Infrastructure.Tests.Jobs;

/// <summary>Training jobs of a test, brought to a state through the aggregate's own moves (submit, observe, cancel).</summary>
public static class TestJobs
{
    public static JobSubmission Submission(Guid workspaceId, string name, string compute = "cpu", string submitterId = "dana", string submitterName = "Dana", string? experiment = null, string? displayName = null, string? searchText = null) => new(
        workspaceId, name, null, displayName, experiment, compute, Guid.Empty, "ns", InstanceType: "defaultinstancetype", InstanceCount: 1, DistributionKind.None,
        "busybox:1.36", submitterId, submitterName, searchText ?? name, "{}", "command: echo\n", "kind: Job\n", new ResourceAmounts(100, 1 << 20, 0), new ResourceAmounts(1000, 1 << 21, 0));

    /// <summary>A job submitted at <paramref name="created"/> that started and ended (or not) as the state says; no pending events.</summary>
    public static TrainingJob InState(JobSubmission submission, JobState state, DateTimeOffset created, DateTimeOffset? started = null, DateTimeOffset? ended = null)
    {
        var job = TrainingJob.Submit(submission, created);
        if (state != JobState.Queued && started is { } start)
        {
            job.Observe(Running(), start, start);
        }

        var end = ended ?? started ?? created;
        switch (state)
        {
            case JobState.Completed:
                job.Observe(new JobObservation(true, [new JobConditionObservation("Complete", true)], 0, 1, 0, []), end, started);
                break;
            case JobState.Failed:
                job.Observe(JobObservation.Missing, end, started);
                break;
            case JobState.Canceled:
                job.Cancel("test", end);
                break;
        }

        job.ClearDomainEvents();
        return job;
    }

    /// <summary>One pod running its container.</summary>
    public static JobObservation Running() => new(
        true, [], 1, 0, 0, [new PodObservation("p-0", 0, "Running", "node-0", [new ContainerObservation("main", "busybox:1.36", ContainerPhase.Running)])]);
}
