using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Studio.Domain.Artifacts;

namespace Studio.Infrastructure.Persistence.Configurations;

internal sealed class DataAssetConfiguration : IEntityTypeConfiguration<DataAsset>
{
    public void Configure(EntityTypeBuilder<DataAsset> builder)
    {
        builder.ToTable("data_assets");
        builder.HasKey(a => a.Id);
        builder.Ignore(a => a.DomainEvents);
        builder.Ignore(a => a.Latest);
        builder.Property(a => a.Name).HasMaxLength(AssetName.MaxLength).IsRequired();
        builder.Property(a => a.NormalizedName).HasMaxLength(AssetName.MaxLength).IsRequired();
        builder.HasIndex(a => new { a.WorkspaceId, a.NormalizedName }).IsUnique();
        builder.OwnsMany(a => a.Versions, v =>
        {
            v.ToTable("data_asset_versions");
            v.WithOwner().HasForeignKey("DataAssetId");
            v.Property<Guid>("DataAssetId");
            v.HasKey("DataAssetId", nameof(DataAssetVersion.Version));
            v.Property(x => x.Version).HasMaxLength(AssetName.VersionMaxLength);
            v.Property(x => x.Type).HasConversion<string>().HasMaxLength(16);
            v.Property(x => x.Path).HasMaxLength(2048).IsRequired();
            v.Property(x => x.Snapshot).HasMaxLength(71);
            v.Property(x => x.Description).HasMaxLength(AssetRules.MaxDescriptionLength);
            v.Property(x => x.CreatedBy).HasMaxLength(256).IsRequired();
            v.Property(x => x.Tags).AssetTags();
            v.Ignore(x => x.IsUpload);
        });
        builder.Navigation(a => a.Versions).HasField("_versions").UsePropertyAccessMode(PropertyAccessMode.Field);
    }
}

internal sealed class RegisteredModelConfiguration : IEntityTypeConfiguration<RegisteredModel>
{
    public void Configure(EntityTypeBuilder<RegisteredModel> builder)
    {
        builder.ToTable("models");
        builder.HasKey(m => m.Id);
        builder.Ignore(m => m.DomainEvents);
        builder.Ignore(m => m.Latest);
        builder.Property(m => m.Name).HasMaxLength(AssetName.MaxLength).IsRequired();
        builder.Property(m => m.NormalizedName).HasMaxLength(AssetName.MaxLength).IsRequired();
        builder.HasIndex(m => new { m.WorkspaceId, m.NormalizedName }).IsUnique();
        builder.OwnsMany(m => m.Versions, v =>
        {
            v.ToTable("model_versions");
            v.WithOwner().HasForeignKey("ModelId");
            v.Property<Guid>("ModelId");
            v.HasKey("ModelId", nameof(ModelVersion.Version));
            v.Property(x => x.Version).HasMaxLength(AssetName.VersionMaxLength);
            v.Property(x => x.Type).HasConversion<string>().HasMaxLength(16);
            v.Property(x => x.Path).HasMaxLength(2048).IsRequired();
            v.Property(x => x.Snapshot).HasMaxLength(71);
            v.Property(x => x.SourceJob).HasMaxLength(63);
            v.Property(x => x.SourceOutput).HasMaxLength(256);
            v.Property(x => x.Description).HasMaxLength(AssetRules.MaxDescriptionLength);
            v.Property(x => x.CreatedBy).HasMaxLength(256).IsRequired();
            v.Property(x => x.Tags).AssetTags();
            v.Ignore(x => x.IsUpload);
        });
        builder.Navigation(m => m.Versions).HasField("_versions").UsePropertyAccessMode(PropertyAccessMode.Field);
    }
}

internal static class AssetTagsMapping
{
    /// <summary>Tags as one JSON object column (they are read and written with their version, never queried one by one).</summary>
    public static PropertyBuilder<IReadOnlyDictionary<string, string>> AssetTags(this PropertyBuilder<IReadOnlyDictionary<string, string>> property) =>
        property
            .HasConversion(
                tags => JsonSerializer.Serialize(tags, (JsonSerializerOptions?)null),
                json => JsonSerializer.Deserialize<Dictionary<string, string>>(json, (JsonSerializerOptions?)null) ?? new Dictionary<string, string>(),
                new ValueComparer<IReadOnlyDictionary<string, string>>(
                    (a, b) => a != null && b != null && a.Count == b.Count && !a.Except(b).Any(),
                    t => t.Aggregate(0, (h, kv) => HashCode.Combine(h, kv.Key, kv.Value)),
                    t => new Dictionary<string, string>(t)))
            .HasColumnName("Tags")
            .IsRequired();
}
