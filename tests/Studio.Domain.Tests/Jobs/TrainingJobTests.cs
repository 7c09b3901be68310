using Studio.Domain.Clusters;
using Studio.Domain.Common;
using Studio.Domain.Jobs;

namespace Studio.Domain.Tests.Jobs;

public sealed class TrainingJobTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);

    private static TrainingJob Submit() => TrainingJob.Submit(
        new JobSubmission(
            Guid.NewGuid(), "train-1", "req-1", "Train", "exp", "cpu", Guid.NewGuid(), "ns", "defaultinstancetype", 2, DistributionKind.PyTorch, "busybox:1.36",
            "dana", "Dana", "train-1", "{}", "command: echo\n", "kind: Job\n", new ResourceAmounts(100, 1024, 0), new ResourceAmounts(2000, 2048, 0)),
        T0);

    private static PodObservation Pod(string name, string phase, ContainerPhase container, string? node = "node-0") =>
        new(name, 0, phase, node, [new ContainerObservation("main", "busybox:1.36", container)]);

    private static JobObservation Running() => new(true, [], 1, 0, 0, [Pod("train-1-0", "Running", ContainerPhase.Running)], 2);

    private static JobObservation Complete() => new(true, [new JobConditionObservation("Complete", true)], 0, 2, 0, [], 2);

    [Fact]
    public void Submit_RecordsQueued_AndRaisesSubmitted()
    {
        var job = Submit();

        Assert.Equal(JobState.Queued, job.State);
        Assert.Equal([JobState.Queued], job.Transitions.Select(t => t.State));
        var raised = Assert.IsType<JobStatusChanged>(Assert.Single(job.DomainEvents));
        Assert.Equal((job.Id, "train-1", "ns", JobState.Queued, (JobState?)null, JobChange.Submitted), (raised.JobId, raised.Job, raised.Namespace, raised.State, raised.PreviousState, raised.Change));
        Assert.Equal((job.WorkspaceId, job.ClusterId, "cpu", "Dana", 2), (raised.WorkspaceId, raised.ClusterId, raised.Compute, raised.Submitter, raised.InstanceCount));
    }

    [Fact]
    public void Submit_WithoutInstances_IsRefused()
    {
        var submission = new JobSubmission(
            Guid.NewGuid(), "x", null, null, null, "cpu", Guid.NewGuid(), "ns", "t", 0, DistributionKind.None, null, "u", "U", "x", "{}", "", "", default, default);

        Assert.Throws<DomainException>(() => TrainingJob.Submit(submission, T0));
    }

    [Fact]
    public void Observe_Running_MovesForward_StampsTheStart_AndRaisesOneStateChange()
    {
        var job = Submit();
        job.ClearDomainEvents();

        Assert.True(job.Observe(Running(), T0.AddSeconds(10), T0.AddSeconds(8)));

        Assert.Equal(JobState.Running, job.State);
        Assert.Equal(T0.AddSeconds(8), job.StartedAt);
        Assert.Equal(T0.AddSeconds(10), job.UpdatedAt);
        var raised = Assert.IsType<JobStatusChanged>(Assert.Single(job.DomainEvents));
        Assert.Equal((JobState.Running, (JobState?)JobState.Queued), (raised.State, raised.PreviousState));
        Assert.True(raised.Change.HasFlag(JobChange.State));
    }

    [Fact]
    public void Observe_TheSameStatusAgain_ChangesNothing_AndRaisesNothing()
    {
        var job = Submit();
        job.Observe(Running(), T0.AddSeconds(10));
        job.ClearDomainEvents();

        Assert.False(job.Observe(Running(), T0.AddSeconds(20)));

        Assert.Empty(job.DomainEvents);
        Assert.Equal(T0.AddSeconds(10), job.UpdatedAt);
    }

    [Fact]
    public void Observe_AnOlderState_NeverMovesBack()
    {
        var job = Submit();
        job.Observe(Running(), T0.AddSeconds(10));
        var queued = new JobObservation(true, [], 0, 0, 0, [Pod("train-1-0", "Pending", ContainerPhase.Waiting, node: null)], 2);

        job.Observe(queued, T0.AddSeconds(20));

        Assert.Equal(JobState.Running, job.State);
        Assert.Equal([JobState.Queued, JobState.Running], job.Transitions.Select(t => t.State));
    }

    [Fact]
    public void Observe_AfterTheEnd_IsIgnored()
    {
        var job = Submit();
        job.Observe(Complete(), T0.AddSeconds(30), T0.AddSeconds(5));
        job.ClearDomainEvents();

        Assert.False(job.Observe(JobObservation.Missing, T0.AddSeconds(40)));

        Assert.Equal(JobState.Completed, job.State);
        Assert.Equal((T0.AddSeconds(30), 25L), (job.EndedAt, job.RunSeconds));
        Assert.Empty(job.DomainEvents);
    }

    [Fact]
    public void Observe_ANewReasonInTheSameState_RaisesAStatusChange()
    {
        var job = Submit();
        job.ClearDomainEvents();
        var unschedulable = new JobObservation(true, [], 0, 0, 0, [new PodObservation("train-1-0", 0, "Pending", null, [], Unschedulable: true, SchedulingMessage: "0/3 nodes are available: 3 Insufficient cpu.")], 2);

        Assert.True(job.Observe(unschedulable, T0.AddSeconds(5)));

        Assert.Equal((JobState.Queued, JobStatusMapping.Unschedulable), (job.State, job.Reason));
        var raised = Assert.IsType<JobStatusChanged>(Assert.Single(job.DomainEvents));
        Assert.Equal(JobChange.Status, raised.Change);
    }

    [Fact]
    public void PodsAndStateInOneSave_AreFoldedIntoOneEvent()
    {
        var job = Submit();
        job.ClearDomainEvents();

        Assert.True(job.ObservePod(Pod("train-1-0", "Running", ContainerPhase.Running), "master", T0.AddSeconds(4), null, T0.AddSeconds(5)));
        job.Observe(Running(), T0.AddSeconds(5));
        Assert.True(job.KeepLogTail("train-1-0", "line\n", T0.AddSeconds(6)));

        var raised = Assert.IsType<JobStatusChanged>(Assert.Single(job.DomainEvents));
        Assert.Equal(JobChange.Pods | JobChange.State | JobChange.Status | JobChange.Logs, raised.Change);
        Assert.Equal((JobState.Running, (JobState?)JobState.Queued, T0.AddSeconds(6)), (raised.State, raised.PreviousState, raised.At));
        Assert.Equal(("master", "node-0"), (job.Pods[0].Role, job.Pods[0].Node));
    }

    [Fact]
    public void ObservePod_Unchanged_RaisesNothing_AndALogTailIsKeptOnce()
    {
        var job = Submit();
        var pod = Pod("train-1-0", "Running", ContainerPhase.Running);
        job.ObservePod(pod, "master", null, null, T0);
        job.KeepLogTail("train-1-0", "first\n", T0);
        job.ClearDomainEvents();

        Assert.False(job.ObservePod(pod, "master", null, null, T0.AddSeconds(1)));
        Assert.False(job.KeepLogTail("train-1-0", "second\n", T0.AddSeconds(1)));
        Assert.False(job.KeepLogTail("unknown", "x\n", T0.AddSeconds(1)));

        Assert.Empty(job.DomainEvents);
        Assert.Equal("first\n", job.Pods[0].LogTail);
    }

    [Fact]
    public void Cancel_EndsTheJob_DeletesItsLivePods_AndRaisesCanceled()
    {
        var job = Submit();
        job.ObservePod(Pod("train-1-0", "Running", ContainerPhase.Running), "master", T0, null, T0);
        job.ClearDomainEvents();

        var canceled = job.Cancel("Dana", T0.AddSeconds(9));

        Assert.True(canceled.IsSuccess);
        Assert.Equal((JobState.Canceled, "Canceled", "Canceled by Dana.", T0.AddSeconds(9)), (job.State, job.Reason, job.Message, job.EndedAt));
        Assert.Equal(("Deleted", "Canceled"), (job.Pods[0].Phase, job.Pods[0].Reason));
        Assert.Equal(JobState.Canceled, Assert.IsType<JobStatusChanged>(Assert.Single(job.DomainEvents)).State);
    }

    [Fact]
    public void Cancel_AnEndedJob_IsRefused_AndChangesNothing()
    {
        var job = Submit();
        job.Observe(Complete(), T0.AddSeconds(30));
        job.ClearDomainEvents();

        var canceled = job.Cancel("Dana", T0.AddSeconds(40));

        Assert.Equal("job_finished", Assert.Single(canceled.Errors).Code);
        Assert.Equal(JobState.Completed, job.State);
        Assert.Empty(job.DomainEvents);
    }

    [Fact]
    public void FailSubmit_FailsAQueuedJob_WithTheClustersWords()
    {
        var job = Submit();
        job.ClearDomainEvents();

        job.FailSubmit("connection refused", T0.AddSeconds(1));

        Assert.Equal((JobState.Failed, TrainingJob.SubmitFailed), (job.State, job.Reason));
        Assert.Contains("connection refused", job.Message, StringComparison.Ordinal);
        Assert.Equal([JobState.Queued, JobState.Failed], job.Transitions.Select(t => t.State));
        Assert.Equal(JobState.Failed, Assert.IsType<JobStatusChanged>(Assert.Single(job.DomainEvents)).State);
    }

    [Fact]
    public void FailSubmit_AfterTheEnd_IsABrokenInvariant()
    {
        var job = Submit();
        job.Cancel("Dana", T0.AddSeconds(1));

        Assert.Throws<DomainException>(() => job.FailSubmit("late", T0.AddSeconds(2)));
        Assert.Equal(JobState.Canceled, job.State);
    }

    [Fact]
    public void KeepEvent_KeepsEachUidOnce_UpToTheLimit()
    {
        var job = Submit();

        Assert.True(job.KeepEvent("u1", T0, "Normal", "Scheduled", "m", "Pod/p", 1, max: 2, T0));
        Assert.False(job.KeepEvent("u1", T0, "Normal", "Scheduled", "m", "Pod/p", 2, max: 2, T0));
        Assert.True(job.KeepEvent("u2", T0, "Normal", "Pulled", "m", "Pod/p", 1, max: 2, T0));
        Assert.False(job.KeepEvent("u3", T0, "Normal", "Started", "m", "Pod/p", 1, max: 2, T0));

        Assert.Equal(["u1", "u2"], job.Events.Select(e => e.Uid));
    }
}
