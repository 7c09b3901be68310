using Microsoft.Extensions.DependencyInjection.Extensions;
using Studio.Infrastructure.Endpoints;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers online endpoints: the service and their encrypted keys.</summary>
public static class EndpointsServiceCollectionExtensions
{
    public static IServiceCollection AddStudioEndpoints(this IServiceCollection services)
    {
        services.TryAddSingleton<EndpointKeys>();
        services.TryAddSingleton<EndpointService>();
        return services;
    }
}
