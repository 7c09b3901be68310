using Studio.Domain.Common;
using Studio.Domain.Jobs;

namespace Studio.Domain.Tests.Jobs;

public sealed class JobLifecycleTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(JobState.Queued, JobState.Starting, true)]
    [InlineData(JobState.Queued, JobState.Running, true)]
    [InlineData(JobState.Queued, JobState.Failed, true)]
    [InlineData(JobState.Queued, JobState.Canceled, true)]
    [InlineData(JobState.Starting, JobState.Running, true)]
    [InlineData(JobState.Starting, JobState.Queued, false)]
    [InlineData(JobState.Running, JobState.Completed, true)]
    [InlineData(JobState.Running, JobState.Failed, true)]
    [InlineData(JobState.Running, JobState.Canceled, true)]
    [InlineData(JobState.Running, JobState.Starting, false)]
    [InlineData(JobState.Running, JobState.Queued, false)]
    [InlineData(JobState.Running, JobState.Running, false)]
    [InlineData(JobState.Completed, JobState.Failed, false)]
    [InlineData(JobState.Completed, JobState.Canceled, false)]
    [InlineData(JobState.Failed, JobState.Running, false)]
    [InlineData(JobState.Canceled, JobState.Running, false)]
    [InlineData(JobState.Canceled, JobState.Failed, false)]
    public void CanMove_FollowsTheStateMachine(JobState from, JobState to, bool allowed) => Assert.Equal(allowed, JobLifecycle.CanMove(from, to));

    [Fact]
    public void Advance_RecordsForwardMovesWithTheirTime_AndIgnoresRepeatsAndStepsBack()
    {
        var timeline = new List<JobTransition> { new(JobState.Queued, Now) };
        var state = JobState.Queued;
        var observed = new[]
        {
            (new JobStatus(JobState.Queued, "Unschedulable"), Now.AddSeconds(1)),
            (new JobStatus(JobState.Starting, "ContainerCreating"), Now.AddSeconds(2)),
            (new JobStatus(JobState.Queued, "Pending"), Now.AddSeconds(3)),
            (new JobStatus(JobState.Running), Now.AddSeconds(4)),
            (new JobStatus(JobState.Running), Now.AddSeconds(5)),
            (new JobStatus(JobState.Completed, "Completed"), Now.AddSeconds(6)),
            (new JobStatus(JobState.Failed, "JobDeleted"), Now.AddSeconds(7)),
        };

        foreach (var (status, at) in observed)
        {
            foreach (var t in JobLifecycle.Advance(state, status, at))
            {
                timeline.Add(t);
                state = t.State;
            }
        }

        Assert.Equal(
            [(JobState.Queued, Now), (JobState.Starting, Now.AddSeconds(2)), (JobState.Running, Now.AddSeconds(4)), (JobState.Completed, Now.AddSeconds(6))],
            timeline.Select(t => (t.State, t.At)));
    }

    [Fact]
    public void EnsureCanMove_OutOfATerminalState_IsABrokenInvariant() =>
        Assert.Throws<DomainException>(() => JobLifecycle.EnsureCanMove(JobState.Completed, JobState.Canceled));

    [Theory]
    [InlineData(JobState.Completed, true)]
    [InlineData(JobState.Failed, true)]
    [InlineData(JobState.Canceled, true)]
    [InlineData(JobState.Queued, false)]
    [InlineData(JobState.Starting, false)]
    [InlineData(JobState.Running, false)]
    public void IsTerminal(JobState state, bool terminal) => Assert.Equal(terminal, JobLifecycle.IsTerminal(state));
}
