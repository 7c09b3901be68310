using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Studio.Web.Hubs;

/// <summary>Wires <see cref="LiveHubConnections"/> around whichever hub lifetime manager SignalR is configured with.</summary>
public static class LiveHubRegistration
{
    /// <summary>
    /// Call after the backplane (if any) is added: the last open-generic <see cref="HubLifetimeManager{THub}"/>
    /// registration (default or Redis) is built for <see cref="LiveHub"/> and decorated.
    /// </summary>
    public static ISignalRServerBuilder AddLiveHubConnections(this ISignalRServerBuilder signalR)
    {
        var services = signalR.Services;
        var open = services.LastOrDefault(d => d.ServiceType == typeof(HubLifetimeManager<>) && d.ImplementationType is not null)?.ImplementationType
            ?? throw new InvalidOperationException("AddSignalR() must be called before AddLiveHubConnections().");
        var innerType = open.MakeGenericType(typeof(LiveHub));
        services.TryAddSingleton(sp => new LiveHubConnections((HubLifetimeManager<LiveHub>)ActivatorUtilities.CreateInstance(sp, innerType)));
        services.AddSingleton<HubLifetimeManager<LiveHub>>(sp => sp.GetRequiredService<LiveHubConnections>());
        return signalR;
    }
}
