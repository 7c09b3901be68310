using Microsoft.Extensions.Logging;
using Studio.Domain.Jobs;

namespace Studio.Infrastructure.Jobs;

/// <summary>
/// The bridge of the job change notification: <see cref="JobChanged"/> is raised for every <see cref="JobStatusChanged"/>
/// this replica dispatches (by <see cref="JobChangedBridge"/>). It stays until its consumers handle
/// <see cref="JobStatusChanged"/> themselves (an <c>IDomainEventHandler&lt;JobStatusChanged&gt;</c>); then it goes. The job
/// operations are <see cref="JobSubmissionService"/>, <see cref="JobQueryService"/>, <see cref="JobLogService"/> and
/// <see cref="JobCancellationService"/>.
/// </summary>
public sealed class JobService(ILogger<JobService> logger)
{
    /// <summary>Raised (on the saver's thread, after the save; handlers must be quick) with the job's row whenever a job is submitted or its state, pods or kept logs change.</summary>
    public event Action<JobSummary>? JobChanged;

    internal void Publish(JobSummary summary)
    {
        try
        {
            JobChanged?.Invoke(summary);
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "A JobChanged handler failed");
        }
    }
}
