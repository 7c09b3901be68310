using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Studio.Domain.Common;

namespace Studio.Infrastructure.Events;

/// <summary>
/// Dispatches the domain events of the aggregates a context saves, after the save succeeded: they are collected when
/// the save starts, cleared from their aggregates and handed to <see cref="DomainEventDispatcher"/> once the database
/// took the change. When the save fails they stay on their aggregates (a retried save dispatches them then) and no
/// handler runs.
/// </summary>
public sealed class DomainEventsInterceptor(DomainEventDispatcher dispatcher) : SaveChangesInterceptor
{
    private readonly ConditionalWeakTable<DbContext, Collected> _collected = [];

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Collect(eventData.Context);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Collect(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        if (Take(eventData.Context) is { } collected)
        {
            dispatcher.DispatchAsync(collected, CancellationToken.None).GetAwaiter().GetResult();
        }

        return result;
    }

    public override async ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        if (Take(eventData.Context) is { } collected)
        {
            // The change is in the database: a caller that gives up now must not keep its handlers from running.
            await dispatcher.DispatchAsync(collected, CancellationToken.None).ConfigureAwait(false);
        }

        return result;
    }

    public override void SaveChangesFailed(DbContextErrorEventData eventData) => _collected.Remove(eventData.Context!);

    public override Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        _collected.Remove(eventData.Context!);
        return Task.CompletedTask;
    }

    public override void SaveChangesCanceled(DbContextEventData eventData) => _collected.Remove(eventData.Context!);

    public override Task SaveChangesCanceledAsync(DbContextEventData eventData, CancellationToken cancellationToken = default)
    {
        _collected.Remove(eventData.Context!);
        return Task.CompletedTask;
    }

    private void Collect(DbContext? context)
    {
        if (context is null)
        {
            return;
        }

        var entities = context.ChangeTracker.Entries<Entity>().Select(e => e.Entity).Where(e => e.DomainEvents.Count > 0).ToList();
        if (entities.Count > 0)
        {
            _collected.AddOrUpdate(context, new Collected(entities));
        }
        else
        {
            _collected.Remove(context);
        }
    }

    private List<IDomainEvent>? Take(DbContext? context)
    {
        if (context is null || !_collected.TryGetValue(context, out var collected))
        {
            return null;
        }

        _collected.Remove(context);
        var events = new List<IDomainEvent>();
        foreach (var entity in collected.Entities)
        {
            events.AddRange(entity.DomainEvents);
            entity.ClearDomainEvents();
        }

        return events;
    }

    private sealed record Collected(List<Entity> Entities);
}
