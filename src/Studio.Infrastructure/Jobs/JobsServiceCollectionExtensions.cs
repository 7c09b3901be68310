using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Studio.Domain.Jobs;
using Studio.Infrastructure.Environments;
using Studio.Infrastructure.Jobs;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers training jobs: the service, its manifest applier and environment catalog, and the status tracker.</summary>
public static class JobsServiceCollectionExtensions
{
    public static IServiceCollection AddStudioJobs(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<JobsOptions>().Bind(configuration.GetSection(JobsOptions.SectionName));
        services.TryAddSingleton<JobApplier>();
        services.TryAddSingleton<EnvironmentCatalog>();
        services.TryAddSingleton<EnvironmentService>();
        services.TryAddSingleton<JobService>();
        services.TryAddSingleton<JobTracker>();
        services.AddDomainEventHandler<JobStatusChanged, JobChangedBridge>();
        services.AddHostedService(sp => sp.GetRequiredService<JobTracker>());
        return services;
    }
}
