using Studio.Domain.Endpoints;
using Studio.Domain.Jobs;

namespace Studio.Domain.Tests.Endpoints;

public sealed class DeploymentStatusMappingTests
{
    private static readonly DeploymentRollout Rolling = new(2, 1, 2, 2, SpecObserved: true);

    private static PodObservation Pod(params ContainerObservation[] containers) => new("blue-abc", 0, "Pending", "node-1", containers);

    private static ContainerObservation Server(ContainerPhase phase, string? reason = null, string? message = null, string? last = null, int restarts = 0) =>
        new("inference-server", "registry.example/model:1", phase, reason, message, Restarts: restarts, MemoryLimitBytes: 256L << 20, LastTerminatedReason: last);

    public static TheoryData<string, PodObservation, string?> Failures() => new()
    {
        { "running", Pod(Server(ContainerPhase.Running)), null },
        { "pulling", Pod(Server(ContainerPhase.Waiting, "ContainerCreating")), null },
        { "first pull error", Pod(Server(ContainerPhase.Waiting, "ErrImagePull")), null },
        { "pull back-off", Pod(Server(ContainerPhase.Waiting, "ImagePullBackOff", "Back-off pulling image")), DeploymentFailure.ImagePullLoopBackOff },
        { "bad image name", Pod(Server(ContainerPhase.Waiting, "InvalidImageName")), DeploymentFailure.ImagePullLoopBackOff },
        { "unschedulable", new PodObservation("blue-abc", 0, "Pending", null, [], Unschedulable: true, SchedulingMessage: "0/3 nodes are available: 3 Insufficient cpu."), DeploymentFailure.PodUnschedulable },
        { "oom then restarting", Pod(Server(ContainerPhase.Waiting, "CrashLoopBackOff", last: "OOMKilled", restarts: 2)), DeploymentFailure.PodOutOfMemory },
        { "crash loop", Pod(Server(ContainerPhase.Waiting, "CrashLoopBackOff", "back-off 40s", last: "Error", restarts: 3)), DeploymentFailure.DeploymentCrashLoopBackOff },
        { "import error", Pod(Server(ContainerPhase.Terminated, "Error", "UserScriptImportError: No module named 'sklearn'")), DeploymentFailure.UserScriptImportError },
        { "init failed", Pod(Server(ContainerPhase.Terminated, "Error", "UserScriptInitFailed: init() raised ValueError")), DeploymentFailure.UserScriptInitFailed },
        { "fetch failed", Pod(new ContainerObservation("storage-initializer", "busybox:1.36", ContainerPhase.Terminated, "Error", "wget: server returned error: HTTP/1.1 403 Forbidden", 1, Init: true), Server(ContainerPhase.Waiting, "PodInitializing")), DeploymentFailure.ResourceNotReady },
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public void PodStates_MapToAzureMlFailureReasons(string _, PodObservation pod, string? reason)
    {
        var observed = DeploymentStatusMapping.Observe(Rolling, [pod]);

        Assert.Equal(reason, observed.FailureReason);
        if (reason is not null)
        {
            Assert.False(string.IsNullOrWhiteSpace(observed.FailureMessage));
        }
    }

    [Fact]
    public void UnschedulableMessage_CarriesTheSchedulersReason()
    {
        var pod = new PodObservation("blue-abc", 0, "Pending", null, [], Unschedulable: true, SchedulingMessage: "0/3 nodes are available: 3 Insufficient cpu.");

        Assert.EndsWith("The scheduler: 0/3 nodes are available: 3 Insufficient cpu.", DeploymentStatusMapping.Observe(Rolling, [pod]).FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void PodsBeingDeleted_AreIgnored()
    {
        var leaving = Pod(Server(ContainerPhase.Waiting, "ImagePullBackOff")) with { Deleting = true };

        Assert.Null(DeploymentStatusMapping.Observe(Rolling, [leaving]).FailureReason);
    }

    [Theory]
    [InlineData(2, 2, 2, 2, true, true)]
    [InlineData(2, 2, 2, 3, true, false)]
    [InlineData(2, 1, 2, 2, true, false)]
    [InlineData(2, 2, 1, 2, true, false)]
    [InlineData(2, 2, 2, 2, false, false)]
    [InlineData(0, 0, 0, 0, true, true)]
    public void Rollout_IsCompleteWhenEveryReplicaOfTheLatestSpecIsReadyAndNoOldOneIsLeft(int desired, int ready, int updated, int total, bool observed, bool complete)
    {
        var observation = DeploymentStatusMapping.Observe(new DeploymentRollout(desired, ready, updated, total, observed), []);

        Assert.Equal(complete, observation.RolloutComplete);
        Assert.Equal((desired, ready), (observation.Desired, observation.Ready));
    }

    [Fact]
    public void ProgressDeadlineExceeded_IsADeploymentTimeout_UnlessThePodsSayWhy()
    {
        var late = Rolling with { DeadlineExceeded = true, DeadlineMessage = "ReplicaSet \"blue-1\" has timed out progressing." };

        Assert.Equal(DeploymentFailure.DeploymentTimeout, DeploymentStatusMapping.Observe(late, []).FailureReason);
        Assert.Equal(DeploymentFailure.ImagePullLoopBackOff, DeploymentStatusMapping.Observe(late, [Pod(Server(ContainerPhase.Waiting, "ImagePullBackOff"))]).FailureReason);
    }
}
