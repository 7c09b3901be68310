using Microsoft.Extensions.DependencyInjection.Extensions;
using Studio.Infrastructure.Datastores;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers workspaces' datastores: the service, their encrypted secrets, the stores behind them, the relay and the job URLs.</summary>
public static class DatastoresServiceCollectionExtensions
{
    public static IServiceCollection AddStudioDatastores(this IServiceCollection services)
    {
        services.TryAddSingleton<DatastoreCredentialStore>();
        services.TryAddSingleton<DatastoreStores>();
        services.TryAddSingleton<DatastoreConnectionTest>();
        services.TryAddSingleton<DatastoreStoreCache>();
        services.TryAddSingleton<DatastoreService>();
        services.TryAddSingleton<DatastoreRelay>();
        services.TryAddSingleton<DatastoreUrls>();
        services.TryAddSingleton<Studio.Infrastructure.Jobs.JobOutputs>();
        services.TryAddSingleton<Studio.Infrastructure.Jobs.JobInputs>();
        services.TryAddSingleton<Studio.Infrastructure.Assets.JobOutputRegistration>();
        return services;
    }
}
