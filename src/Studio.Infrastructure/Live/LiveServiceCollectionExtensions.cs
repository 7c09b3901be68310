using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Studio.Domain.Jobs;
using Studio.Infrastructure.Live;
using Studio.Infrastructure.Monitoring;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the live module (<see cref="LiveFeed"/> and what feeds it).</summary>
public static class LiveServiceCollectionExtensions
{
    /// <summary>
    /// The live module: the broadcaster and its feeds (shared informers, job records), the derived per-cluster view,
    /// access rules and snapshots, its options (<c>Studio:Live</c>) and instruments (meter <c>Studio.Live</c>). Needs the
    /// Kubernetes services (<c>AddStudioKubernetes</c>) and persistence; job records are fed once jobs are registered.
    /// </summary>
    public static IServiceCollection AddStudioLive(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<LiveOptions>().Bind(configuration.GetSection(LiveOptions.SectionName));
        services.AddMetrics();
        services.TryAddSingleton<LiveMetrics>();
        services.TryAddSingleton<LiveBroadcaster<LiveObject>>();
        services.TryAddSingleton<LiveFeeds>();
        services.TryAddSingleton<LiveAccess>();
        services.TryAddSingleton<LiveSnapshots>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ILiveSnapshotSource, JobSnapshotSource>());
        services.TryAddSingleton<LiveClusterViews>();
        services.TryAddSingleton<LiveFeed>();
        services.AddDomainEventHandler<JobStatusChanged, LiveJobFeed>();
        services.TryAddSingleton<WorkloadStats>();
        return services;
    }
}
