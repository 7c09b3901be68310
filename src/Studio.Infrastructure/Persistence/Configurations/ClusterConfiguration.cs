using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Studio.Domain.Clusters;

namespace Studio.Infrastructure.Persistence.Configurations;

internal sealed class ClusterConfiguration : IEntityTypeConfiguration<Cluster>
{
    public void Configure(EntityTypeBuilder<Cluster> builder)
    {
        builder.ToTable("clusters");
        builder.HasKey(c => c.Id);
        builder.Property(c => c.Name).HasMaxLength(63).IsRequired();
        builder.HasIndex(c => c.Name).IsUnique();
        builder.Property(c => c.Kind).HasConversion<string>().HasMaxLength(32);
        builder.Property(c => c.Server).HasMaxLength(2048).IsRequired();
        builder.Property(c => c.DisplayName).HasMaxLength(128);
        builder.Property(c => c.Source).HasMaxLength(1024);
        builder.Property<Dictionary<string, string>>("_labels")
            .HasColumnName("Labels")
            .HasConversion(
                v => System.Text.Json.JsonSerializer.Serialize(v, (System.Text.Json.JsonSerializerOptions?)null),
                v => string.IsNullOrEmpty(v) ? new Dictionary<string, string>() : System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, string>>(v, (System.Text.Json.JsonSerializerOptions?)null) ?? new Dictionary<string, string>(),
                new Microsoft.EntityFrameworkCore.ChangeTracking.ValueComparer<Dictionary<string, string>>(
                    (a, b) => a!.Count == b!.Count && !a.Except(b).Any(),
                    v => v.Aggregate(0, (h, kv) => HashCode.Combine(h, kv.Key, kv.Value)),
                    v => new Dictionary<string, string>(v, StringComparer.Ordinal)))
            .HasMaxLength(8192);
        builder.Ignore(c => c.Labels);
        builder.Ignore(c => c.DomainEvents);
    }
}
