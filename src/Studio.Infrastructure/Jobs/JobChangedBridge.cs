using Studio.Domain.Jobs;
using Studio.Infrastructure.Events;
using Studio.Infrastructure.Workspaces;

namespace Studio.Infrastructure.Jobs;

/// <summary>
/// Keeps <see cref="JobService.JobChanged"/> firing from <see cref="JobStatusChanged"/> until its consumers handle the
/// domain event themselves (then this bridge and the C# event go).
/// </summary>
internal sealed class JobChangedBridge(JobService jobs, WorkspaceNames workspaces) : IDomainEventHandler<JobStatusChanged>
{
    public async ValueTask HandleAsync(JobStatusChanged domainEvent, CancellationToken cancellationToken)
    {
        var workspace = await workspaces.GetAsync(domainEvent.WorkspaceId, cancellationToken).ConfigureAwait(false);
        jobs.Publish(JobSummary.From(domainEvent, workspace));
    }
}
