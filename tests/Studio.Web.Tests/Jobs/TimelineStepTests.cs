using Studio.Domain.Jobs;
using Studio.Web.Model;

namespace Studio.Web.Tests.Jobs;

public sealed class TimelineStepTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 28, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Build_ForARunningJob_ShowsReachedStepsThenWhatIsAhead()
    {
        var steps = TimelineStep.Build([(JobState.Queued, T0, null), (JobState.Starting, T0.AddSeconds(5), null), (JobState.Running, T0.AddSeconds(9), null)], JobState.Running);

        Assert.Equal([JobState.Queued, JobState.Starting, JobState.Running, JobState.Completed], steps.Select(s => s.State));
        Assert.True(steps[2].Current);
        Assert.False(steps[3].Reached);
        Assert.Null(steps[3].At);
    }

    [Fact]
    public void Build_ForAFailedJob_EndsAtFailedWithItsReason()
    {
        var steps = TimelineStep.Build([(JobState.Running, T0.AddSeconds(9), null), (JobState.Queued, T0, null), (JobState.Failed, T0.AddMinutes(1), "OOMKilled")], JobState.Failed);

        Assert.Equal([JobState.Queued, JobState.Running, JobState.Failed], steps.Select(s => s.State));
        Assert.Equal("OOMKilled", steps[^1].Detail);
        Assert.True(steps[^1].Current);
        Assert.All(steps, s => Assert.True(s.Reached));
    }

    [Fact]
    public void Build_WithoutTransitions_StillShowsTheCurrentState() =>
        Assert.Equal([JobState.Queued, JobState.Starting, JobState.Running, JobState.Completed], TimelineStep.Build([], JobState.Queued).Select(s => s.State));
}
