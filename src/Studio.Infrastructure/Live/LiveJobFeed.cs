using Microsoft.Extensions.Hosting;
using Studio.Infrastructure.Jobs;

namespace Studio.Infrastructure.Live;

/// <summary>
/// Feeds job records into the live module: every status change of a job (written by this replica, or read by its
/// tracker) is published to its workspace's key (<see cref="LiveFeeds.JobsKey"/>) and to <see cref="LiveFeeds.AllJobsKey"/>.
/// </summary>
public sealed class LiveJobFeed(LiveBroadcaster<LiveObject> broadcaster, JobService jobs) : IHostedService
{
    /// <summary>A job summary as live subscribers see it.</summary>
    public static LiveChange<LiveObject> ToChange(JobSummary job) => new(
        ChangeKind.Upsert,
        LiveObject.JobKey(job.Workspace, job.Name),
        new LiveObject(Job: new LiveJob(job.Workspace, job.Name, job.Compute, job.State.ToString(), job.CreatedAt, job.StartedAt, job.EndedAt, job.Reason)));

    /// <summary>Publishes one job's new state.</summary>
    public void Publish(JobSummary job)
    {
        var change = ToChange(job);
        broadcaster.Publish(LiveFeeds.JobsKey(job.Workspace), change);
        broadcaster.Publish(LiveFeeds.AllJobsKey, change);
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        jobs.JobChanged += Publish;
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        jobs.JobChanged -= Publish;
        return Task.CompletedTask;
    }
}
