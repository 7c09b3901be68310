using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Studio.Domain.Jobs;
using Studio.Infrastructure.Environments;
using Studio.Infrastructure.Events;
using Studio.Infrastructure.Jobs;
using Studio.Infrastructure.Kubernetes.Inventory;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers training jobs: their informers in every cluster inventory; submission, queries, logs and cancellation, their helpers, and the status tracker.</summary>
public static class JobsServiceCollectionExtensions
{
    public static IServiceCollection AddStudioJobs(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<JobsOptions>().Bind(configuration.GetSection(JobsOptions.SectionName));
        services.AddOptions<PodAnnotationOptions>().Bind(configuration.GetSection(PodAnnotationOptions.SectionName));
        services.AddOptions<EnvironmentOptions>().Bind(configuration.GetSection(EnvironmentOptions.SectionName));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IInventoryContributor, JobInformers.Contributor>());
        services.AddOptions<JobTrackerOptions>().Bind(configuration.GetSection(JobTrackerOptions.SectionName));
        services.TryAddSingleton<JobApplier>();
        services.AddOptions<EnvironmentBuildOptions>().Bind(configuration.GetSection(EnvironmentBuildOptions.SectionName));
        services.TryAddSingleton<EnvironmentBuilds>();
        services.TryAddSingleton<EnvironmentCatalog>();
        services.TryAddSingleton<EnvironmentService>();
        services.TryAddSingleton<JobAccess>();
        services.TryAddSingleton<JobResolver>();
        services.TryAddSingleton<JobPodReader>();
        services.TryAddSingleton<JobClusterEvents>();
        services.TryAddSingleton<JobExplanations>();
        services.TryAddSingleton<JobRecordWriter>();
        services.TryAddSingleton<JobApplyQueue>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IDomainEventHandler<JobStatusChanged>, JobApplyQueue>(sp => sp.GetRequiredService<JobApplyQueue>()));
        services.TryAddSingleton<JobCode>();
        services.TryAddSingleton<JobCodeSubmission>();
        services.TryAddSingleton<JobCodeQuery>();
        services.TryAddSingleton<JobSubmissionService>();
        services.TryAddSingleton<JobQueryService>();
        services.TryAddSingleton<JobLogService>();
        services.TryAddSingleton<JobCancellationService>();
        services.TryAddSingleton<EnvironmentBuildService>();
        services.AddHostedService<EnvironmentBuildWatcher>();
        services.TryAddSingleton<JobTracker>();
        services.AddHostedService(sp => sp.GetRequiredService<JobTracker>());
        return services;
    }
}
