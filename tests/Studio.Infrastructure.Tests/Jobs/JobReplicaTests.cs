using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Studio.Domain.Jobs;
using Studio.Infrastructure.Jobs;

namespace Studio.Infrastructure.Tests.Jobs;

/// <summary>Two studio replicas on one database and one cluster, each running its own job tracker.</summary>
public sealed class JobReplicaTests(JobsFixture fixture) : IClassFixture<JobsFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TwoReplicas_BothPublishEveryJobsFinalState_AndTheTimelineHasEachStateOnce()
    {
        var ws = await fixture.NewWorkspaceAsync(Ct);
        await using var replica = JobsFixture.CreateServices(fixture.DataFolder);
        var tracker = replica.GetRequiredService<JobTracker>();
        await tracker.StartAsync(Ct);
        var seenHere = new ConcurrentDictionary<string, JobState>();
        var seenThere = new ConcurrentDictionary<string, JobState>();
        // Each replica's subscribers of JobStatusChanged (its live job feed, and these recorders beside it).
        fixture.Changes.Changed += e => Record(seenHere, e);
        JobsFixture.ChangesOf(replica).Changed += e => Record(seenThere, e);
        try
        {
            var names = new List<string>();
            for (var i = 0; i < 3; i++)
            {
                var spec = new JobSpec { Compute = TestWorkspace.Compute, Command = $"echo replica {i}", Image = "mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu22.04:20240101" };
                var submitted = await fixture.Submissions.SubmitAsync(ws.Scientist, ws.Name, spec, Ct);
                Assert.True(submitted.IsSuccess, string.Join("; ", submitted.Errors.Select(e => e.Message)));
                names.Add(submitted.Value.Name);
            }

            foreach (var name in names)
            {
                var done = await fixture.WaitForStateAsync(ws, name, JobState.Completed, Ct);

                // Each replica may write a change first; the concurrency token lets only one of them record it.
                Assert.Equal(done.Timeline.Select(t => t.State).Distinct().Count(), done.Timeline.Count);
            }

            // Whichever replica wrote a job's completion, the other publishes it to its own pages and hub clients too.
            var deadline = DateTime.UtcNow.AddSeconds(20);
            while (DateTime.UtcNow < deadline && !names.All(n => seenHere.GetValueOrDefault(n) == JobState.Completed && seenThere.GetValueOrDefault(n) == JobState.Completed))
            {
                await Task.Delay(100, Ct);
            }

            var report = string.Join("; ", names.Select(n => $"{n}: here {seenHere.GetValueOrDefault(n)}, there {seenThere.GetValueOrDefault(n)}"));
            Assert.True(names.All(n => seenHere.GetValueOrDefault(n) == JobState.Completed), report);
            Assert.True(names.All(n => seenThere.GetValueOrDefault(n) == JobState.Completed), report);
        }
        finally
        {
            await tracker.StopAsync(CancellationToken.None);
        }

        void Record(ConcurrentDictionary<string, JobState> seen, JobStatusChanged change)
        {
            if (change.WorkspaceId == ws.Id)
            {
                seen[change.Job] = change.State;
            }
        }
    }

    [Fact]
    public async Task JobRunningUnchanged_IsNotPublishedAgainOnEveryScan()
    {
        var ws = await fixture.NewWorkspaceAsync(Ct);
        // A replica that remembers what it published for one second only (shorter than the run below; scans come every second).
        await using var replica = JobsFixture.CreateServices(fixture.DataFolder, new Dictionary<string, string?> { [$"{JobTrackerOptions.SectionName}:PublishedMemory"] = "00:00:01" });
        var tracker = replica.GetRequiredService<JobTracker>();
        await tracker.StartAsync(Ct);
        var replicaChanges = JobsFixture.ChangesOf(replica);
        var spec = new JobSpec { Compute = TestWorkspace.Compute, Command = "sleep infinity", Image = "mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu22.04:20240101" };
        var submitted = await fixture.Submissions.SubmitAsync(ws.Scientist, ws.Name, spec, Ct);
        Assert.True(submitted.IsSuccess, string.Join("; ", submitted.Errors.Select(e => e.Message)));
        var name = submitted.Value.Name;
        var published = 0;
        void OnChanged(JobStatusChanged e)
        {
            if (e.WorkspaceId == ws.Id && e.Job == name)
            {
                Interlocked.Increment(ref published);
            }
        }

        try
        {
            await fixture.WaitForStateAsync(ws, name, JobState.Running, Ct);
            await Task.Delay(TimeSpan.FromSeconds(3), Ct); // let the start settle (pod placement, first scans)
            replicaChanges.Changed += OnChanged;

            await Task.Delay(TimeSpan.FromSeconds(6), Ct); // six scans, five memories past the job's last change

            Assert.Equal(JobState.Running, (await fixture.Queries.GetAsync(ws.Scientist, ws.Name, name, Ct)).Value.Summary.State);
            Assert.Equal(0, Volatile.Read(ref published));
        }
        finally
        {
            replicaChanges.Changed -= OnChanged;
            await tracker.StopAsync(CancellationToken.None);
            await fixture.Cancellations.CancelAsync(ws.Scientist, ws.Name, name, CancellationToken.None);
        }
    }
}
