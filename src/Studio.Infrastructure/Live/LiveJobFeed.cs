using Studio.Domain.Jobs;
using Studio.Infrastructure.Events;
using Studio.Infrastructure.Jobs;
using Studio.Infrastructure.Workspaces;

namespace Studio.Infrastructure.Live;

/// <summary>
/// Feeds job records into the live module: every <see cref="JobStatusChanged"/> this replica dispatches (a change it
/// saved, or one its tracker found saved by another replica) is published to the job's workspace key
/// (<see cref="LiveFeeds.JobsKey"/>) and to <see cref="LiveFeeds.AllJobsKey"/>.
/// </summary>
public sealed class LiveJobFeed(LiveBroadcaster<LiveObject> broadcaster, WorkspaceNames workspaces) : IDomainEventHandler<JobStatusChanged>
{
    /// <summary>A job summary as live subscribers see it.</summary>
    public static LiveChange<LiveObject> ToChange(JobSummary job) => new(
        ChangeKind.Upsert,
        LiveObject.JobKey(job.Workspace, job.Name),
        new LiveObject(Job: new LiveJob(job.Workspace, job.Name, job.Compute, job.State.ToString(), job.CreatedAt, job.StartedAt, job.EndedAt, job.Reason)));

    public async ValueTask HandleAsync(JobStatusChanged domainEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(domainEvent);
        var workspace = await workspaces.GetAsync(domainEvent.WorkspaceId, cancellationToken).ConfigureAwait(false);
        Publish(JobSummary.From(domainEvent, workspace));
    }

    /// <summary>Publishes one job's new state.</summary>
    public void Publish(JobSummary job)
    {
        ArgumentNullException.ThrowIfNull(job);
        var change = ToChange(job);
        broadcaster.Publish(LiveFeeds.JobsKey(job.Workspace), change);
        broadcaster.Publish(LiveFeeds.AllJobsKey, change);
    }
}
