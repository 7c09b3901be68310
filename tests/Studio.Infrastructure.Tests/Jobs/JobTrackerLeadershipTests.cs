using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Studio.Domain.Jobs;
using Studio.Infrastructure.Jobs;
using Studio.Infrastructure.Leadership;
using Studio.Infrastructure.Tests.Leadership;

namespace Studio.Infrastructure.Tests.Jobs;

/// <summary>The job tracker of a replica that does not lead follows the leader's writes; once it leads, it tracks jobs itself.</summary>
public sealed class JobTrackerLeadershipTests(JobsFixture fixture) : IClassFixture<JobsFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static JobSpec Spec(string command) => new() { Compute = TestWorkspace.Compute, Command = command, Image = "mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu22.04:20240101" };

    [Fact]
    public async Task Follower_PublishesEveryChangeTheLeaderWrote_AndWritesNothingItself()
    {
        var ws = await fixture.NewWorkspaceAsync(Ct);
        var leadership = new ManualLeadership();
        await using var replica = JobsFixture.CreateServices(fixture.DataFolder, configure: s => s.AddSingleton<ILeadership>(leadership));
        var tracker = replica.GetRequiredService<JobTracker>();
        var seen = new ConcurrentQueue<JobStatusChanged>();
        JobsFixture.ChangesOf(replica).Changed += e =>
        {
            if (e.WorkspaceId == ws.Id)
            {
                seen.Enqueue(e);
            }
        };
        await tracker.StartAsync(Ct);
        try
        {
            var submitted = await fixture.Submissions.SubmitAsync(ws.Scientist, ws.Name, Spec("sleep 20"), Ct);
            Assert.True(submitted.IsSuccess, string.Join("; ", submitted.Errors.Select(e => e.Message)));
            await fixture.WaitForStateAsync(ws, submitted.Value.Name, JobState.Completed, Ct);

            var deadline = DateTime.UtcNow.AddSeconds(10);
            while (DateTime.UtcNow < deadline && !seen.Any(e => e.State == JobState.Completed))
            {
                await Task.Delay(100, Ct);
            }

            Assert.Contains(seen, e => e.Job == submitted.Value.Name && e.State == JobState.Completed);
            Assert.All(seen, e => Assert.True(e.Change.HasFlag(JobChange.Elsewhere), $"{e.Job} {e.State}: {e.Change}"));
        }
        finally
        {
            await tracker.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task NobodyLeads_JobsStayAsRecorded_UntilAReplicaTakesTheLead()
    {
        var ws = await fixture.NewWorkspaceAsync(Ct);
        var leadership = new ManualLeadership();
        await using var replica = JobsFixture.CreateServices(fixture.DataFolder, configure: s => s.AddSingleton<ILeadership>(leadership));
        var tracker = replica.GetRequiredService<JobTracker>();
        var fixtureTracker = fixture.Services.GetRequiredService<JobTracker>();
        await fixtureTracker.StopAsync(CancellationToken.None);
        await tracker.StartAsync(Ct);
        try
        {
            var submitted = await fixture.Submissions.SubmitAsync(ws.Scientist, ws.Name, Spec("sleep 20"), Ct);
            Assert.True(submitted.IsSuccess, string.Join("; ", submitted.Errors.Select(e => e.Message)));
            await Task.Delay(TimeSpan.FromSeconds(4), Ct); // the job ran and ended in the cluster (1 s at 20×)
            Assert.Equal(JobState.Queued, (await fixture.Queries.GetAsync(ws.Scientist, ws.Name, submitted.Value.Name, Ct)).Value.Summary.State);

            leadership.Grant();
            var done = await fixture.WaitForStateAsync(ws, submitted.Value.Name, JobState.Completed, Ct);

            Assert.Equal(done.Timeline.Select(t => t.State).Distinct().Count(), done.Timeline.Count);
        }
        finally
        {
            await tracker.StopAsync(CancellationToken.None);
            await fixtureTracker.StartAsync(CancellationToken.None);
        }
    }
}
