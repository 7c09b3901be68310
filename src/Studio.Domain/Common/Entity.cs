namespace Studio.Domain.Common;

/// <summary>Base of aggregates and entities: identity plus the domain events raised since the last save.</summary>
public abstract class Entity
{
    private readonly List<object> _domainEvents = [];

    public IReadOnlyCollection<object> DomainEvents => _domainEvents;

    protected void AddDomainEvent(object domainEvent) => _domainEvents.Add(domainEvent);

    public void ClearDomainEvents() => _domainEvents.Clear();
}
