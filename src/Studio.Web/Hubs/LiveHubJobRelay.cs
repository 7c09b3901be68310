using Studio.Infrastructure.Live;

namespace Studio.Web.Hubs;

/// <summary>
/// The hub's subscriber of job records: forwards every job change of this replica's live module to the hub groups of
/// the job's workspace and of the job itself (through the Redis backplane when configured, so clients of every replica
/// receive it). Cluster changes do not go this way: every replica sees them through its own shared informers.
/// </summary>
public sealed class LiveHubJobRelay(LiveFeed live, LiveHubPublisher publisher, ILogger<LiveHubJobRelay> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var batch in live.JobChangesAsync(stoppingToken))
            {
                foreach (var change in batch.Changes)
                {
                    if (change.Value?.Job is { } job)
                    {
                        await PublishAsync(job, change);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task PublishAsync(LiveJob job, LiveChange<LiveObject> change)
    {
        try
        {
            await publisher.PublishAsync(LiveScope.Workspace(job.Workspace), [change]);
            await publisher.PublishAsync(LiveScope.Job(job.Workspace, job.Name), [change]);
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Publishing job {Workspace}/{Job} to live clients failed", job.Workspace, job.Name);
        }
    }
}
