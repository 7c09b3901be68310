using Studio.Domain.Common;
using Studio.Domain.Jobs;

namespace Studio.Domain.Tests.Jobs;

/// <summary>An image build's record and a training job that waits for it.</summary>
public sealed class EnvironmentBuildTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 7, 10, 0, 0, TimeSpan.Zero);

    private static EnvironmentBuild Start() => EnvironmentBuild.Start("registry.example/team/", "abc123", Guid.NewGuid(), "ns-a", "studio-build-abc123-1", Guid.NewGuid(), "first-job", T0);

    private static TrainingJob Job() => TrainingJob.Submit(
        new JobSubmission(
            Guid.NewGuid(), "built", null, null, null, "cpu", Guid.NewGuid(), "ns-a", "defaultinstancetype", 1, DistributionKind.None, "registry.example/team/studio-env:abc123",
            "dana", "Dana", "built", "{}", "command: echo\n", "kind: Job\n", default, default),
        T0);

    [Fact]
    public void Start_NamesTheImageByRegistryAndTag_AndIsBuilding()
    {
        var build = Start();

        Assert.Equal("registry.example/team/studio-env:abc123", build.Image);
        Assert.Equal(EnvironmentBuildState.Building, build.State);
        Assert.Equal(1, build.Attempts);
        Assert.Empty(build.DomainEvents);
    }

    [Fact]
    public void Succeed_EndsTheBuild_KeepsTheLog_AndRaisesFinished()
    {
        var build = Start();

        build.Succeed("studio-build-abc123-1-x7k2p", "INFO[0001] Pushed ...", T0.AddMinutes(2));

        Assert.Equal(EnvironmentBuildState.Succeeded, build.State);
        Assert.Equal(T0.AddMinutes(2), build.FinishedAt);
        Assert.Equal("studio-build-abc123-1-x7k2p", build.BuilderPod);
        var finished = Assert.IsType<EnvironmentBuildFinished>(Assert.Single(build.DomainEvents));
        Assert.Equal(EnvironmentBuildState.Succeeded, finished.State);
        Assert.Throws<DomainException>(() => build.Fail("late", null, null, T0.AddMinutes(3)));
        Assert.Throws<DomainException>(() => build.Restart(Guid.NewGuid(), "ns-b", "studio-build-abc123-2", Guid.NewGuid(), "other", T0.AddMinutes(3)));
    }

    [Fact]
    public void FailedBuild_StartsAgainForTheNextJob_AsASecondAttempt()
    {
        var build = Start();
        build.Fail("Image build failed: RUN false — exit status 1.", null, new string('x', EnvironmentBuild.MaxLogTail + 10), T0.AddMinutes(1));

        build.Restart(Guid.NewGuid(), "ns-b", "studio-build-abc123-2", Guid.NewGuid(), "second-job", T0.AddMinutes(5));

        Assert.Equal(EnvironmentBuildState.Building, build.State);
        Assert.Equal(2, build.Attempts);
        Assert.Equal("second-job", build.JobName);
        Assert.Null(build.Failure);
        Assert.Null(build.FinishedAt);
    }

    [Fact]
    public void Fail_KeepsOnlyTheEndOfALongLog_AndNeedsAReason()
    {
        var build = Start();
        Assert.Throws<DomainException>(() => build.Fail(" ", null, null, T0));

        build.Fail("Image build failed: it ran longer than 30m.", null, new string('x', EnvironmentBuild.MaxLogTail) + "END", T0.AddMinutes(31));

        Assert.Equal(EnvironmentBuild.MaxLogTail, build.LogTail!.Length);
        Assert.EndsWith("END", build.LogTail, StringComparison.Ordinal);
    }

    [Fact]
    public void JobWaitingForItsBuild_KeepsSayingSo_WhileItsSuspendedJobIsObserved()
    {
        var job = Job();
        job.WaitForEnvironmentBuild(T0);

        var suspended = new JobObservation(true, [new JobConditionObservation("Suspended", true)], 0, 0, 0, []);
        job.Observe(suspended, T0.AddSeconds(5));

        Assert.Equal(JobState.Queued, job.State);
        Assert.Equal(TrainingJob.BuildingEnvironment, job.Reason);
        Assert.Contains("Building environment (kaniko)", job.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void JobWhoseBuildFailed_FailsAsEnvironmentFailed_WithTheBuildsWords()
    {
        var job = Job();
        job.WaitForEnvironmentBuild(T0);

        Assert.True(job.FailEnvironmentBuild("Image build failed: RUN false — exit status 1.", T0.AddMinutes(1)));

        Assert.Equal(JobState.Failed, job.State);
        Assert.Equal(JobStatusMapping.EnvironmentFailed, job.Reason);
        Assert.StartsWith("Image build failed: RUN false", job.Message, StringComparison.Ordinal);
        Assert.False(job.WaitsForEnvironmentBuild);
        Assert.False(job.FailEnvironmentBuild("again", T0.AddMinutes(2)));
    }

    [Fact]
    public void JobWhoseImageWasBuilt_StopsWaiting_AndACanceledOneIsNotFailedLater()
    {
        var built = Job();
        built.WaitForEnvironmentBuild(T0);
        Assert.True(built.EnvironmentBuilt(T0.AddMinutes(1)));
        Assert.False(built.WaitsForEnvironmentBuild);
        Assert.Equal(JobState.Queued, built.State);

        var canceled = Job();
        canceled.WaitForEnvironmentBuild(T0);
        Assert.True(canceled.Cancel("Dana", T0.AddSeconds(30)).IsSuccess);
        Assert.False(canceled.FailEnvironmentBuild("Image build failed.", T0.AddMinutes(1)));
        Assert.Equal(JobState.Canceled, canceled.State);
    }
}
