using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Studio.Domain.Endpoints;

namespace Studio.Infrastructure.Persistence.Configurations;

internal sealed class OnlineEndpointConfiguration : IEntityTypeConfiguration<OnlineEndpoint>
{
    public void Configure(EntityTypeBuilder<OnlineEndpoint> builder)
    {
        builder.ToTable("online_endpoints");
        builder.HasKey(e => e.Id);
        builder.Ignore(e => e.DomainEvents);
        builder.Property(e => e.Name).HasMaxLength(EndpointNames.MaxLength).IsRequired();
        builder.Property(e => e.Compute).HasMaxLength(64).IsRequired();
        builder.Property(e => e.Namespace).HasMaxLength(63).IsRequired();
        builder.Property(e => e.AuthMode).HasConversion<string>().HasMaxLength(16);
        builder.Property(e => e.Description).HasMaxLength(1024);
        builder.Property(e => e.Tags).AssetTags();
        // The keys are Data Protection ciphertext (EndpointKeys): a copy of the database alone does not reveal them.
        builder.Property(e => e.PrimaryKey).HasColumnName("ProtectedPrimaryKey").HasMaxLength(1024).IsRequired();
        builder.Property(e => e.SecondaryKey).HasColumnName("ProtectedSecondaryKey").HasMaxLength(1024).IsRequired();
        builder.Property(e => e.State).HasConversion<string>().HasMaxLength(16);
        builder.Property(e => e.Reason).HasMaxLength(128);
        builder.Property(e => e.Message).HasMaxLength(4096);
        builder.Ignore(e => e.Traffic);
        builder.Ignore(e => e.MirrorTraffic);
        builder.Property<Dictionary<string, int>>("_traffic").HasColumnName("Traffic").TrafficJson().IsRequired();
        builder.Property<Dictionary<string, int>>("_mirror").HasColumnName("MirrorTraffic").TrafficJson().IsRequired();
        builder.Ignore(e => e.Transitions);
        builder.Property<List<EndpointTransition>>("_transitions").HasColumnName("Transitions").EndpointJson().IsRequired();
        // The tracker and a user's change may write the same record: the later writer re-reads instead of overwriting.
        builder.Property(e => e.UpdatedAt).IsConcurrencyToken();
        // Unique in the workspace, and on the cluster (the scoring path /api/v1/endpoint/NAME/ of a shared gateway).
        builder.HasIndex(e => new { e.WorkspaceId, e.Name }).IsUnique();
        builder.HasIndex(e => new { e.ClusterId, e.Name }).IsUnique();
    }
}

internal sealed class OnlineDeploymentConfiguration : IEntityTypeConfiguration<OnlineDeployment>
{
    public void Configure(EntityTypeBuilder<OnlineDeployment> builder)
    {
        builder.ToTable("online_deployments");
        builder.HasKey(d => d.Id);
        builder.Ignore(d => d.DomainEvents);
        builder.Property(d => d.Name).HasMaxLength(EndpointNames.MaxLength).IsRequired();
        builder.Property(d => d.EndpointName).HasMaxLength(EndpointNames.MaxLength).IsRequired();
        builder.Property(d => d.KubernetesName).HasMaxLength(63).IsRequired();
        builder.Property(d => d.InstanceType).HasMaxLength(253).IsRequired();
        builder.Property(d => d.Spec).EndpointJson().HasMaxLength(65536).IsRequired();
        builder.Property(d => d.State).HasConversion<string>().HasMaxLength(16);
        builder.Property(d => d.Reason).HasMaxLength(128);
        builder.Property(d => d.Message).HasMaxLength(4096);
        builder.Ignore(d => d.Transitions);
        builder.Property<List<EndpointTransition>>("_transitions").HasColumnName("Transitions").EndpointJson().IsRequired();
        builder.Property(d => d.UpdatedAt).IsConcurrencyToken();
        builder.HasIndex(d => new { d.EndpointId, d.Name }).IsUnique();
        builder.HasIndex(d => new { d.WorkspaceId, d.State });
        builder.HasOne<OnlineEndpoint>().WithMany().HasForeignKey(d => d.EndpointId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal static class EndpointJsonMapping
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>Traffic per deployment as one JSON object; read back with the aggregate's case-insensitive names.</summary>
    public static PropertyBuilder<Dictionary<string, int>> TrafficJson(this PropertyBuilder<Dictionary<string, int>> property) =>
        property.HasConversion(
            value => JsonSerializer.Serialize(value, Options),
            json => new Dictionary<string, int>(JsonSerializer.Deserialize<Dictionary<string, int>>(json, Options)!, StringComparer.OrdinalIgnoreCase),
            new ValueComparer<Dictionary<string, int>>(
                (a, b) => a != null && b != null && a.Count == b.Count && a.All(p => b.ContainsKey(p.Key) && b[p.Key] == p.Value),
                v => v.Aggregate(0, (h, p) => HashCode.Combine(h, p.Key.ToLowerInvariant(), p.Value)),
                v => new Dictionary<string, int>(v, StringComparer.OrdinalIgnoreCase)));

    /// <summary>A value read and written whole with its record (traffic, transitions, a deployment's spec) as one JSON column.</summary>
    public static PropertyBuilder<T> EndpointJson<T>(this PropertyBuilder<T> property)
        where T : class =>
        property.HasConversion(
            value => JsonSerializer.Serialize(value, Options),
            json => JsonSerializer.Deserialize<T>(json, Options)!,
            new ValueComparer<T>(
                (a, b) => JsonSerializer.Serialize(a, Options) == JsonSerializer.Serialize(b, Options),
                v => JsonSerializer.Serialize(v, Options).GetHashCode(StringComparison.Ordinal),
                v => JsonSerializer.Deserialize<T>(JsonSerializer.Serialize(v, Options), Options)!));
}
