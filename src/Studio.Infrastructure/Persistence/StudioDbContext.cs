using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Studio.Domain.Artifacts;
using Studio.Domain.Clusters;
using Studio.Domain.Jobs;
using Studio.Domain.Workspaces;

namespace Studio.Infrastructure.Persistence;

/// <summary>
/// The studio database: one model for SQLite and PostgreSQL. Each provider has its own migrations, kept beside a
/// thin subclass (<see cref="SqliteStudioDbContext"/>, <see cref="PostgresStudioDbContext"/>).
/// </summary>
public abstract class StudioDbContext(DbContextOptions options) : DbContext(options), IDataProtectionKeyContext
{
    public DbSet<Workspace> Workspaces => Set<Workspace>();

    public DbSet<Cluster> Clusters => Set<Cluster>();

    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();

    public DbSet<ClusterCredential> ClusterCredentials => Set<ClusterCredential>();

    /// <summary>Sampled cluster history for the monitoring charts (bounded by <c>Studio:Monitoring:Retention</c>).</summary>
    public DbSet<MetricSample> MetricSamples => Set<MetricSample>();
    /// <summary>Training job records (with their transitions, events and pods).</summary>
    public DbSet<TrainingJob> Jobs => Set<TrainingJob>();

    /// <summary>Images built in the cluster for jobs' own environments, one per (registry, tag).</summary>
    public DbSet<EnvironmentBuild> EnvironmentBuilds => Set<EnvironmentBuild>();

    /// <summary>Workspaces' datastores (the studio's own store is not stored: every workspace has it).</summary>
    public DbSet<Studio.Domain.Artifacts.Datastore> Datastores => Set<Studio.Domain.Artifacts.Datastore>();

    /// <summary>Datastores' secrets, encrypted.</summary>
    public DbSet<DatastoreCredential> DatastoreCredentials => Set<DatastoreCredential>();

    /// <summary>Data assets of the workspaces, with their versions.</summary>
    public DbSet<DataAsset> DataAssets => Set<DataAsset>();

    /// <summary>Registered models of the workspaces, with their versions.</summary>
    public DbSet<RegisteredModel> Models => Set<RegisteredModel>();

    /// <summary>Online endpoints of the workspaces (keys as Data Protection ciphertext).</summary>
    public DbSet<Studio.Domain.Endpoints.OnlineEndpoint> OnlineEndpoints => Set<Studio.Domain.Endpoints.OnlineEndpoint>();

    /// <summary>The deployments of online endpoints.</summary>
    public DbSet<Studio.Domain.Endpoints.OnlineDeployment> OnlineDeployments => Set<Studio.Domain.Endpoints.OnlineDeployment>();

    /// <summary>The Data Protection key ring, shared by every studio replica through the database.</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    protected override void OnModelCreating(ModelBuilder modelBuilder) =>
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(StudioDbContext).Assembly);

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // SQLite cannot order or compare DateTimeOffset; store UTC ticks there and a timestamptz in PostgreSQL.
        if (Database.IsSqlite())
        {
            configurationBuilder.Properties<DateTimeOffset>().HaveConversion<DateTimeOffsetToUtcTicksConverter>();
        }
    }
}
