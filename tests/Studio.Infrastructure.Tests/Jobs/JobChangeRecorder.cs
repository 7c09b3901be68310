using Studio.Domain.Jobs;
using Studio.Infrastructure.Events;

namespace Studio.Infrastructure.Tests.Jobs;

/// <summary>
/// A subscriber of <see cref="JobStatusChanged"/> as the studio's own are (the live job feed): registered with
/// <c>AddDomainEventHandler</c> in <see cref="JobsFixture.CreateServices"/>, it sees every change that replica dispatches
/// — the ones it saved and the ones its tracker found saved by another replica. Tests listen through <see cref="Changed"/>.
/// </summary>
public sealed class JobChangeRecorder : IDomainEventHandler<JobStatusChanged>
{
    /// <summary>Raised for every dispatched job change (on the dispatcher's thread).</summary>
    public event Action<JobStatusChanged>? Changed;

    public ValueTask HandleAsync(JobStatusChanged domainEvent, CancellationToken cancellationToken)
    {
        Changed?.Invoke(domainEvent);
        return ValueTask.CompletedTask;
    }
}
