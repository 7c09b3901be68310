using Microsoft.AspNetCore.DataProtection;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Studio.Domain.Workspaces;
using Studio.Infrastructure.Clusters;
using Studio.Infrastructure.Compute;
using Studio.Infrastructure.Events;
using Studio.Infrastructure.InstanceTypes;
using Studio.Infrastructure.Kubernetes;
using Studio.Infrastructure.Kubernetes.Inventory;
using Studio.Infrastructure.Leadership;
using Studio.Infrastructure.Monitoring;
using Studio.Infrastructure.Persistence;
using Studio.Infrastructure.Persistence.Repositories;
using Studio.Infrastructure.Workspaces;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the studio's infrastructure: persistence and application services.</summary>
public static class DependencyInjection
{
    /// <summary>Adds the database (SQLite by default, PostgreSQL when configured) and the application services.</summary>
    public static IHostApplicationBuilder AddStudioInfrastructure(this IHostApplicationBuilder builder, string dataFolder)
    {
        var options = builder.Configuration.GetSection(DatabaseOptions.SectionName).Get<DatabaseOptions>() ?? new DatabaseOptions();
        var keys = builder.Configuration.GetSection(KeyProtectionOptions.SectionName).Get<KeyProtectionOptions>();
        builder.Services.AddOptions<LeadershipOptions>().Bind(builder.Configuration.GetSection(LeadershipOptions.SectionName));
        builder.Services.AddStudioPersistence(options, dataFolder, keys);
        builder.Services.AddStudioKubernetes(builder.Configuration);
        builder.Services.AddOptions<MonitoringOptions>().Bind(builder.Configuration.GetSection(MonitoringOptions.SectionName));
        builder.Services.TryAddSingleton<MetricHistory>();
        builder.Services.TryAddSingleton<MetricSampler>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<MetricSampler>());
        builder.Services.AddHostedService<InClusterRegistration>();
        builder.Services.AddStudioJobs(builder.Configuration);
        builder.Services.AddStudioArtifacts(builder.Configuration, dataFolder);
        builder.Services.AddStudioEndpoints();
        builder.Services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database", HealthStatus.Unhealthy, ["ready"]);
        return builder;
    }

    /// <summary>Cluster access: kubeconfig inspection, encrypted credentials, the client factory and shared informers.</summary>
    public static IServiceCollection AddStudioKubernetes(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ClusterAccessOptions>().Bind(configuration.GetSection(ClusterAccessOptions.SectionName));
        services.AddOptions<InClusterOptions>().Bind(configuration.GetSection(InClusterOptions.SectionName));
        services.TryAddSingleton<InClusterAccess>();
        services.TryAddSingleton<KubeconfigInspector>();
        services.TryAddSingleton<ClusterCredentialStore>();
        services.TryAddSingleton<KubernetesClientFactory>();
        services.TryAddSingleton<ConnectionChecker>();
        services.TryAddSingleton<InventoryRegistry>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IInventoryContributor, InstanceTypeInformer.Contributor>());
        services.TryAddSingleton<InstanceTypeCatalog>();
        services.TryAddSingleton<IInstanceTypeCatalog>(sp => sp.GetRequiredService<InstanceTypeCatalog>());
        return services;
    }

    public static IServiceCollection AddStudioPersistence(this IServiceCollection services, DatabaseOptions options, string dataFolder, KeyProtectionOptions? keys = null)
    {
        // First hosted service: the schema (and the Data Protection key table) exists before anything else starts.
        services.AddHostedService<DatabaseMigrationService>();
        // Then the leader election: the loops that run once per deployment (job tracker, history sampler) wait for it, and
        // it stops after them (releasing the lead, so another replica takes over at once).
        services.AddOptions<LeadershipOptions>();
        services.TryAddSingleton(sp => Leaderships.Create(sp, options));
        services.AddHostedService<LeadershipLifetime>();
        services.AddStudioDomainEvents();
        services.TryAddSingleton<WorkspaceNames>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IDomainEventHandler<WorkspaceCreated>, WorkspaceNames>(sp => sp.GetRequiredService<WorkspaceNames>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IDomainEventHandler<WorkspaceRenamed>, WorkspaceNames>(sp => sp.GetRequiredService<WorkspaceNames>()));
        switch (options.Provider)
        {
            case DatabaseProvider.PostgreSQL:
                if (string.IsNullOrWhiteSpace(options.ConnectionString))
                {
                    throw new InvalidOperationException("Studio:Database:Provider is PostgreSQL but Studio:Database:ConnectionString is empty. Set it, e.g. 'Host=db;Database=studio;Username=studio;Password=...'.");
                }

                services.AddDbContextFactory<PostgresStudioDbContext>((sp, o) => o.UseNpgsql(options.ConnectionString).AddInterceptors(sp.GetRequiredService<DomainEventsInterceptor>()));
                services.TryAddSingleton<IDbContextFactory<StudioDbContext>, StudioDbContextFactory<PostgresStudioDbContext>>();
                services.TryAddSingleton(KeyProtection.Configure(services.AddDataProtection().PersistKeysToDbContext<PostgresStudioDbContext>().SetApplicationName("Studio"), keys));
                break;
            default:
                var connectionString = options.ConnectionString;
                if (string.IsNullOrWhiteSpace(connectionString))
                {
                    Directory.CreateDirectory(dataFolder);
                    // Private cache + WAL (set by DatabaseMigrator): a shared cache turns concurrent reads and writes into
                    // immediate "table is locked" errors that no busy timeout retries.
                    connectionString = new SqliteConnectionStringBuilder { DataSource = Path.Combine(dataFolder, "studio.db"), DefaultTimeout = 30 }.ToString();
                }

                services.AddDbContextFactory<SqliteStudioDbContext>((sp, o) => o.UseSqlite(connectionString).AddInterceptors(sp.GetRequiredService<DomainEventsInterceptor>()));
                services.TryAddSingleton<IDbContextFactory<StudioDbContext>, StudioDbContextFactory<SqliteStudioDbContext>>();
                services.TryAddSingleton(KeyProtection.Configure(services.AddDataProtection().PersistKeysToDbContext<SqliteStudioDbContext>().SetApplicationName("Studio"), keys));
                break;
        }

        services.AddHostedService<KeyProtectionWarning>();
        services.TryAddSingleton<DatabaseMigrator>();
        services.TryAddSingleton<UnitOfWorkFactory>();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<WorkspaceService>();
        services.TryAddSingleton<ClusterVisibility>();
        services.TryAddSingleton<ClusterService>();
        services.TryAddSingleton<AuditLog>();
        services.TryAddSingleton<ExtensionService>();
        services.TryAddSingleton<ComputeService>();
        return services;
    }
}
