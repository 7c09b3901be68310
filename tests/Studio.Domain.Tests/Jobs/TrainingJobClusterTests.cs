using Studio.Domain.Jobs;

namespace Studio.Domain.Tests.Jobs;

/// <summary>A job and its cluster: whose objects are its own, and a submit that waits for an unreachable cluster.</summary>
public sealed class TrainingJobClusterTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 7, 10, 0, 0, TimeSpan.Zero);
    private static readonly Guid Workspace = Guid.Parse("11111111-2222-3333-4444-555555555555");

    private static TrainingJob Submit(string? kubernetesName) => TrainingJob.Submit(
        new JobSubmission(
            Workspace, "collide", null, null, null, "cpu", Guid.NewGuid(), "shared", "defaultinstancetype", 1, DistributionKind.None, "busybox:1.36",
            "dana", "Dana", "collide", "{}", "command: echo\n", "kind: Job\n", default, default)
        { KubernetesName = kubernetesName },
        T0);

    [Fact]
    public void JobWithAPerWorkspaceName_OwnsOnlyObjectsLabelledWithItsWorkspace()
    {
        var job = Submit("collide-ab12c");

        Assert.True(job.HasWorkspaceUniqueName);
        Assert.True(job.Owns("11111111222233334444555555555555"));
        Assert.False(job.Owns(Guid.NewGuid().ToString("N")));
        Assert.False(job.Owns(null));
    }

    [Fact]
    public void JobRecordedBeforeNamesWereUnique_KeepsItsNameForItsObjects_AndOwnsUnlabelledOnes()
    {
        var job = Submit(null);

        Assert.Equal("collide", job.KubernetesName);
        Assert.False(job.HasWorkspaceUniqueName);
        Assert.True(job.Owns(null));
        Assert.False(job.Owns(Guid.NewGuid().ToString("N")));
    }

    [Fact]
    public void WaitForCluster_KeepsTheJobQueued_WithTheReasonAndTheClustersWords_RaisedOnce()
    {
        var job = Submit("collide-ab12c");
        job.ClearDomainEvents();

        Assert.True(job.WaitForCluster("503 Service Unavailable.", T0.AddSeconds(5)));
        Assert.False(job.WaitForCluster("503 Service Unavailable.", T0.AddSeconds(6)));

        Assert.Equal((JobState.Queued, TrainingJob.WaitingForCluster), (job.State, job.Reason));
        Assert.Contains("Waiting for the cluster: 503 Service Unavailable.", job.Message, StringComparison.Ordinal);
        var raised = Assert.IsType<JobStatusChanged>(Assert.Single(job.DomainEvents));
        Assert.Equal(JobChange.Status, raised.Change);
        Assert.Equal([JobState.Queued], job.Transitions.Select(t => t.State));
    }

    [Fact]
    public void WaitForCluster_AfterTheJobEnded_ChangesNothing()
    {
        var job = Submit("collide-ab12c");
        Assert.True(job.Cancel("Dana", T0.AddSeconds(1)).IsSuccess);

        Assert.False(job.WaitForCluster("timeout", T0.AddSeconds(2)));
        Assert.Equal(JobState.Canceled, job.State);
    }
}
