using Studio.Domain.Jobs;

namespace Studio.Domain.Tests.Jobs;

public sealed class JobStatusMappingTests
{
    private const long TwoGi = 2L * 1024 * 1024 * 1024;

    private static ContainerObservation Waiting(string reason, string? message = null, string image = "registry.example.com/team/trainer:1") =>
        new("main", image, ContainerPhase.Waiting, reason, message, MemoryLimitBytes: TwoGi);

    private static ContainerObservation Running() => new("main", "img:1", ContainerPhase.Running, MemoryLimitBytes: TwoGi);

    private static ContainerObservation Terminated(string reason, int exitCode, int restarts = 0) => new("main", "img:1", ContainerPhase.Terminated, reason, null, exitCode, restarts, TwoGi);

    private static PodObservation Pod(int rank, string phase, string? node, params ContainerObservation[] containers) => new($"job-{rank}-abc", rank, phase, node, containers);

    private static JobObservation Job(IReadOnlyList<JobConditionObservation>? conditions = null, int instances = 1, params PodObservation[] pods) =>
        new(true, conditions ?? [], pods.Count(p => p.Phase is "Pending" or "Running"), pods.Count(p => p.Phase == "Succeeded"), pods.Count(p => p.Phase == "Failed"), pods, instances);

    private static JobConditionObservation Condition(string type, string? reason = null, string? message = null) => new(type, true, reason, message);

    public static TheoryData<string, JobObservation, JobState, string?> Table() => new()
    {
        { "no pods yet", Job(), JobState.Queued, "Pending" },
        { "suspended by a queue", Job([Condition("Suspended")]), JobState.Queued, "Suspended" },
        {
            "unschedulable",
            Job(null, 1, Pod(0, "Pending", null, Waiting("ContainerCreating")) with { Unschedulable = true, SchedulingMessage = "0/7 nodes are available: 1 Insufficient nvidia.com/gpu, 6 node(s) didn't match Pod's node affinity/selector." }),
            JobState.Queued, JobStatusMapping.Unschedulable
        },
        { "placed, creating containers", Job(null, 1, Pod(0, "Pending", "node-1", Waiting("ContainerCreating"))), JobState.Starting, "ContainerCreating" },
        { "first image pull error, retrying", Job(null, 1, Pod(0, "Pending", "node-1", Waiting("ErrImagePull"))), JobState.Starting, JobStatusMapping.ErrImagePull },
        { "image pull back-off", Job(null, 1, Pod(0, "Pending", "node-1", Waiting("ImagePullBackOff", "Back-off pulling image"))), JobState.Failed, JobStatusMapping.ImagePullBackOff },
        { "invalid image name", Job(null, 1, Pod(0, "Pending", "node-1", Waiting("InvalidImageName"))), JobState.Failed, JobStatusMapping.InvalidImageName },
        { "one rank running", Job(null, 2, Pod(0, "Running", "n1", Running()), Pod(1, "Pending", "n2", Waiting("ContainerCreating"))), JobState.Running, null },
        { "complete", Job([Condition("Complete")], 1, Pod(0, "Succeeded", "n1", Terminated("Completed", 0))), JobState.Completed, "Completed" },
        { "success criteria met", Job([Condition("SuccessCriteriaMet")], 1, Pod(0, "Succeeded", "n1", Terminated("Completed", 0))), JobState.Completed, "Completed" },
        { "backoff limit exceeded", Job([Condition("Failed", "BackoffLimitExceeded", "Job has reached the specified backoff limit")], 1, Pod(0, "Failed", "n1", Terminated("Error", 1))), JobState.Failed, JobStatusMapping.BackoffLimitExceeded },
        { "out of memory beats backoff", Job([Condition("Failed", "BackoffLimitExceeded")], 1, Pod(0, "Failed", "n1", Terminated("OOMKilled", 137))), JobState.Failed, JobStatusMapping.OomKilled },
        { "failure target before failed", Job([Condition("FailureTarget", "BackoffLimitExceeded")], 1, Pod(0, "Failed", "n1", Terminated("Error", 2))), JobState.Failed, JobStatusMapping.BackoffLimitExceeded },
        { "deadline exceeded", Job([Condition("Failed", "DeadlineExceeded", "Job was active longer than specified deadline")], 1, Pod(0, "Failed", "n1", Terminated("Error", 137)) with { Reason = "DeadlineExceeded" }), JobState.Failed, JobStatusMapping.DeadlineExceeded },
        { "node lost", Job([Condition("Failed", "BackoffLimitExceeded")], 1, Pod(0, "Failed", "n1", Running()) with { Reason = "NodeLost", Message = "Node n1 which was running pod job-0 is unresponsive" }), JobState.Failed, JobStatusMapping.NodeLost },
        { "evicted from a not-ready node", Job([Condition("Failed", "BackoffLimitExceeded")], 1, Pod(0, "Failed", "n1", Terminated("Error", 137)) with { Reason = "Evicted" }), JobState.Failed, JobStatusMapping.NodeLost },
        { "retrying after an OOM kill", Job(null, 1, Pod(0, "Failed", "n1", Terminated("OOMKilled", 137)), Pod(0, "Pending", "n2", Waiting("ContainerCreating"))), JobState.Starting, "Retrying" },
        { "job object gone", JobObservation.Missing, JobState.Failed, JobStatusMapping.Deleted },
        { "all succeeded before the condition", Job(null, 2, Pod(0, "Succeeded", "n1", Terminated("Completed", 0)), Pod(1, "Succeeded", "n2", Terminated("Completed", 0))), JobState.Completed, "Completed" },
    };

    [Theory]
    [MemberData(nameof(Table))]
    public void Map_GivesTheStateAndReason(string situation, JobObservation observation, JobState state, string? reason)
    {
        var status = JobStatusMapping.Map(observation);

        Assert.True((state, reason) == (status.State, status.Reason), $"{situation}: expected {state}/{reason}, got {status.State}/{status.Reason} ({status.Message})");
        Assert.False(string.IsNullOrWhiteSpace(status.Message), situation);
        if (state == JobState.Failed)
        {
            Assert.False(string.IsNullOrWhiteSpace(status.Hint), situation);
        }
    }

    [Fact]
    public void OutOfMemory_NamesTheRankAndTheMemoryLimit()
    {
        var status = JobStatusMapping.Map(Job([Condition("Failed", "BackoffLimitExceeded")], 2, Pod(0, "Succeeded", "n1", Terminated("Completed", 0)), Pod(1, "Failed", "n2", Terminated("OOMKilled", 137))));

        Assert.Equal("Rank 1 ran out of memory: the container was killed at its memory limit of 2 GiB (OOMKilled, exit code 137).", status.Message);
        Assert.Contains("more memory", status.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public void ImagePullBackOff_NamesTheImage()
    {
        var status = JobStatusMapping.Map(Job(null, 1, Pod(0, "Pending", "n1", Waiting("ImagePullBackOff", "Back-off pulling image \"registry.example.com/team/trainer:1\"", "registry.example.com/team/trainer:1"))));

        Assert.StartsWith("The image 'registry.example.com/team/trainer:1' could not be pulled.", status.Message, StringComparison.Ordinal);
        Assert.Contains("registry", status.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public void BackoffLimitExceeded_SaysWhichRankExitedWithWhichCode()
    {
        var status = JobStatusMapping.Map(Job([Condition("Failed", "BackoffLimitExceeded")], 2, Pod(1, "Failed", "n2", Terminated("Error", 3)), Pod(0, "Failed", "n1", Terminated("Error", 1))));

        Assert.Equal("The job failed and used up its retries (max_retries). Rank 0 exited with code 1.", status.Message);
    }

    [Fact]
    public void Unschedulable_TurnsTheSchedulerMessageIntoPlainWords()
    {
        var pod = Pod(0, "Pending", null, Waiting("ContainerCreating")) with { Unschedulable = true, SchedulingMessage = "0/7 nodes are available: 1 Insufficient nvidia.com/gpu, 6 node(s) didn't match Pod's node affinity/selector." };

        var status = JobStatusMapping.Map(Job(null, 1, pod));

        Assert.Equal("None of the 7 nodes can take a pod now: 1 has too little free GPUs; 6 are not in the instance type's node pool (node selector).", status.Message);
    }

    [Fact]
    public void RunningMessage_CountsRunningInstances()
    {
        var status = JobStatusMapping.Map(Job(null, 3, Pod(0, "Running", "n1", Running()), Pod(1, "Running", "n2", Running()), Pod(2, "Pending", null, Waiting("ContainerCreating"))));

        Assert.Equal("2 of 3 instances running.", status.Message);
    }

    [Theory]
    [InlineData(null, "no limit")]
    [InlineData(536870912L, "512 MiB")]
    [InlineData(2147483648L, "2 GiB")]
    [InlineData(3221225472L, "3 GiB")]
    [InlineData(1610612736L, "1.5 GiB")]
    public void Memory_IsWrittenAsPeopleReadIt(long? bytes, string text) => Assert.Equal(text, JobStatusMapping.Memory(bytes));
}
