namespace Studio.Domain.Common;

/// <summary>Base of aggregates and entities: identity plus the domain events raised since the last save.</summary>
public abstract class Entity
{
    private readonly List<IDomainEvent> _domainEvents = [];

    public IReadOnlyCollection<IDomainEvent> DomainEvents => _domainEvents;

    protected void AddDomainEvent(IDomainEvent domainEvent) => _domainEvents.Add(domainEvent);

    /// <summary>Replaces an event raised earlier in this unit of work (an aggregate that folds several changes into one event).</summary>
    protected void ReplaceDomainEvent(IDomainEvent raised, IDomainEvent replacement)
    {
        var index = _domainEvents.IndexOf(raised);
        if (index < 0)
        {
            _domainEvents.Add(replacement);
        }
        else
        {
            _domainEvents[index] = replacement;
        }
    }

    public void ClearDomainEvents() => _domainEvents.Clear();
}
