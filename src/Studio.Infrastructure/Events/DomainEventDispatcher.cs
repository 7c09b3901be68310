using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Studio.Domain.Common;

namespace Studio.Infrastructure.Events;

/// <summary>
/// Hands domain events to every <see cref="IDomainEventHandler{TEvent}"/> registered for their type. Called by
/// <see cref="DomainEventsInterceptor"/> once a save succeeded, and directly for events that need no save (a change
/// another replica made). A failing handler is logged and skipped.
/// </summary>
public sealed class DomainEventDispatcher(IServiceScopeFactory scopes, ILogger<DomainEventDispatcher> logger)
{
    private static readonly ConcurrentDictionary<Type, Func<IServiceProvider, IDomainEvent, CancellationToken, ILogger, Task>> Invokers = new();

    public async Task DispatchAsync(IReadOnlyCollection<IDomainEvent> events, CancellationToken cancellationToken)
    {
        if (events.Count == 0)
        {
            return;
        }

        await using var scope = scopes.CreateAsyncScope();
        foreach (var domainEvent in events)
        {
            var invoke = Invokers.GetOrAdd(domainEvent.GetType(), static type =>
                (Func<IServiceProvider, IDomainEvent, CancellationToken, ILogger, Task>)Delegate.CreateDelegate(
                    typeof(Func<IServiceProvider, IDomainEvent, CancellationToken, ILogger, Task>),
                    typeof(DomainEventDispatcher).GetMethod(nameof(InvokeAsync), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!.MakeGenericMethod(type)));
            await invoke(scope.ServiceProvider, domainEvent, cancellationToken, logger).ConfigureAwait(false);
        }
    }

    private static async Task InvokeAsync<TEvent>(IServiceProvider services, IDomainEvent domainEvent, CancellationToken cancellationToken, ILogger logger)
        where TEvent : IDomainEvent
    {
        foreach (var handler in services.GetServices<IDomainEventHandler<TEvent>>())
        {
            try
            {
                await handler.HandleAsync((TEvent)domainEvent, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                logger.LogError(e, "Domain event handler {Handler} failed on {Event}", handler.GetType().Name, typeof(TEvent).Name);
            }
        }
    }
}
