namespace Studio.Domain.Common;

/// <summary>
/// Something that happened to an aggregate. Aggregates collect their events (<see cref="Entity.DomainEvents"/>); the
/// infrastructure dispatches them to their handlers once the unit of work that holds the change is saved, and never when
/// the save fails.
/// </summary>
public interface IDomainEvent;
