using Microsoft.Extensions.DependencyInjection.Extensions;
using Studio.Domain.Common;
using Studio.Infrastructure.Events;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers domain event dispatch and handlers.</summary>
public static class DomainEventsServiceCollectionExtensions
{
    /// <summary>The dispatcher and the save interceptor that calls it (added to every studio context).</summary>
    public static IServiceCollection AddStudioDomainEvents(this IServiceCollection services)
    {
        services.TryAddSingleton<DomainEventDispatcher>();
        services.TryAddSingleton<DomainEventsInterceptor>();
        return services;
    }

    /// <summary>Adds a handler of <typeparamref name="TEvent"/> (a singleton; once per handler type).</summary>
    public static IServiceCollection AddDomainEventHandler<TEvent, THandler>(this IServiceCollection services)
        where TEvent : IDomainEvent
        where THandler : class, IDomainEventHandler<TEvent>
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IDomainEventHandler<TEvent>, THandler>());
        return services;
    }
}
