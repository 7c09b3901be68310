using k8s;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Studio.Infrastructure.Persistence;

namespace Studio.Infrastructure.Leadership;

/// <summary>Chooses the leadership of this replica from <see cref="LeadershipOptions"/> and the database provider.</summary>
public static class Leaderships
{
    /// <summary>The mode <see cref="LeadershipMode.Auto"/> stands for with this database, in or out of a cluster.</summary>
    public static LeadershipMode Resolve(LeadershipMode mode, DatabaseProvider provider, bool inCluster) => mode switch
    {
        LeadershipMode.Auto when provider != DatabaseProvider.PostgreSQL => LeadershipMode.Single,
        LeadershipMode.Auto => inCluster ? LeadershipMode.Kubernetes : LeadershipMode.Database,
        LeadershipMode.Database when provider != DatabaseProvider.PostgreSQL =>
            throw new InvalidOperationException("Studio:Leadership:Mode is Database, which needs Studio:Database:Provider PostgreSQL (SQLite runs one process: use Single)."),
        _ => mode,
    };

    public static ILeadership Create(IServiceProvider services, DatabaseOptions database)
    {
        var options = services.GetRequiredService<IOptions<LeadershipOptions>>().Value;
        var loggers = services.GetRequiredService<ILoggerFactory>();
        var mode = Resolve(options.Mode, database.Provider, KubernetesClientConfiguration.IsInCluster());
        ILeaderElector? elector = mode switch
        {
            LeadershipMode.Database => new PostgresLeaderElector(database.ConnectionString!, options, loggers.CreateLogger<PostgresLeaderElector>()),
            LeadershipMode.Kubernetes => KubernetesLeaseElector.InCluster(options, loggers.CreateLogger<KubernetesLeaseElector>()),
            _ => null,
        };
        return elector is null
            ? new SingleReplicaLeadership(options.ResolveIdentity())
            : new ElectedLeadership(elector, options.RetryPeriod, loggers.CreateLogger<ElectedLeadership>());
    }
}
