using Studio.Domain.Common;

namespace Studio.Infrastructure.Events;

/// <summary>
/// Reacts to a domain event after the save that holds it succeeded. Every registered implementation for the event's
/// type runs (register with <c>services.AddDomainEventHandler&lt;TEvent, THandler&gt;()</c>), in registration order;
/// one that throws is logged and the others still run — the saver never sees the exception. Handlers run on the saver's
/// path, so they should be quick (hand slow work to a queue of their own).
/// </summary>
public interface IDomainEventHandler<in TEvent>
    where TEvent : IDomainEvent
{
    ValueTask HandleAsync(TEvent domainEvent, CancellationToken cancellationToken);
}
