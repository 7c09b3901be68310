using Studio.Infrastructure.Jobs;

namespace Studio.Web.Live;

/// <summary>
/// Publishes every <see cref="JobService.JobChanged"/> of this replica to the hub groups of the job's workspace and of
/// the job itself (through the Redis backplane when configured, so clients of every replica receive it).
/// </summary>
public sealed class JobLiveRelay(JobService jobs, LivePublisher publisher, ILogger<JobLiveRelay> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        jobs.JobChanged += OnJobChanged;
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        jobs.JobChanged -= OnJobChanged;
        return Task.CompletedTask;
    }

    public static LiveChange<LiveObject> ToChange(JobSummary job) => new(
        ChangeKind.Upsert,
        LiveObject.JobKey(job.Workspace, job.Name),
        new LiveObject(Job: new LiveJob(job.Workspace, job.Name, job.Compute, job.State.ToString(), job.CreatedAt, job.StartedAt, job.EndedAt, job.Reason)));

    private void OnJobChanged(JobSummary job) => _ = PublishAsync(job);

    private async Task PublishAsync(JobSummary job)
    {
        try
        {
            var change = ToChange(job);
            await publisher.PublishAsync(LiveScope.Workspace(job.Workspace), [change]);
            await publisher.PublishAsync(LiveScope.Job(job.Workspace, job.Name), [change]);
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Publishing job {Workspace}/{Job} to live clients failed", job.Workspace, job.Name);
        }
    }
}
