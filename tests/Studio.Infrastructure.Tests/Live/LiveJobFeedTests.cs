using Microsoft.EntityFrameworkCore;
using Studio.Domain.Jobs;
using Studio.Domain.Workspaces;
using Studio.Infrastructure.Live;
using Studio.Infrastructure.Persistence;
using Studio.Infrastructure.Workspaces;

namespace Studio.Infrastructure.Tests.Live;

public sealed class LiveJobFeedTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 7, 6, 0, 0, TimeSpan.Zero);

    private static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    [Fact]
    public async Task JobStatusChanged_IsPublishedToItsWorkspaceKeyAndTheAllJobsKey_UnderTheWorkspaceNameNow()
    {
        var broadcaster = new LiveBroadcaster<LiveObject>();
        var names = new WorkspaceNames(new NoDatabase());
        var workspaceId = Guid.NewGuid();
        await names.HandleAsync(new WorkspaceCreated(workspaceId, "vision"), Ct);
        await names.HandleAsync(new WorkspaceRenamed(workspaceId, "vision", "vision-2"), Ct);
        var feed = new LiveJobFeed(broadcaster, names);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        await using var workspace = broadcaster.SubscribeAsync(LiveFeeds.JobsKey("vision-2"), () => [], TimeSpan.Zero, cancellationToken: cts.Token).GetAsyncEnumerator(cts.Token);
        await using var all = broadcaster.SubscribeAsync(LiveFeeds.AllJobsKey, () => [], TimeSpan.Zero, cancellationToken: cts.Token).GetAsyncEnumerator(cts.Token);
        Assert.True(await workspace.MoveNextAsync());
        Assert.True(await all.MoveNextAsync());
        var job = TrainingJob.Submit(new JobSubmission(
            workspaceId, "train-1", null, null, null, "cpu", Guid.NewGuid(), "ns", "defaultinstancetype", 1, DistributionKind.None, "busybox:1.36", "dana", "Dana",
            "train-1", "{}", "command: echo\n", "kind: Job\n", default, default), T0);
        job.Observe(new JobObservation(true, [new JobConditionObservation("Complete", true)], 0, 1, 0, []), T0.AddMinutes(1));

        await feed.HandleAsync(Assert.IsType<JobStatusChanged>(Assert.Single(job.DomainEvents)), Ct);

        foreach (var stream in new[] { workspace, all })
        {
            Assert.True(await stream.MoveNextAsync());
            var change = Assert.Single(stream.Current.Changes);
            Assert.Equal((ChangeKind.Upsert, LiveObject.JobKey("vision-2", "train-1")), (change.Kind, change.Key));
            Assert.Equal(("vision-2", "train-1", "cpu", "Completed"), (change.Value!.Job!.Workspace, change.Value.Job.Name, change.Value.Job.ComputeTarget, change.Value.Job.State));
            Assert.Equal(T0.AddMinutes(1), change.Value.Job.FinishedAt);
        }
    }

    /// <summary>The workspace names are known from their events here; reading the database would be a bug.</summary>
    private sealed class NoDatabase : IDbContextFactory<StudioDbContext>
    {
        public StudioDbContext CreateDbContext() => throw new InvalidOperationException("The workspace name should come from its events.");
    }
}
