using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Studio.Domain.Artifacts;
using Studio.Domain.Workspaces;

namespace Studio.Infrastructure.Persistence.Configurations;

internal sealed class DatastoreConfiguration : IEntityTypeConfiguration<Datastore>
{
    public void Configure(EntityTypeBuilder<Datastore> builder)
    {
        builder.ToTable("datastores");
        builder.HasKey(d => d.Id);
        builder.Property(d => d.Name).HasMaxLength(DatastoreName.MaxLength).IsRequired();
        builder.HasIndex(d => new { d.WorkspaceId, d.Name }).IsUnique();
        builder.HasOne<Workspace>().WithMany().HasForeignKey(d => d.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
        builder.Property(d => d.Kind).HasConversion<string>().HasMaxLength(16);
        builder.Property(d => d.Auth).HasConversion<string>().HasMaxLength(16);
        builder.Property(d => d.Endpoint).HasMaxLength(2048);
        builder.Property(d => d.Container).HasMaxLength(63);
        builder.Property(d => d.Prefix).HasMaxLength(1024).IsRequired();
        builder.Property(d => d.Description).HasMaxLength(Datastore.MaxDescriptionLength);
        builder.Property(d => d.Region).HasMaxLength(64);
        builder.Property(d => d.CreatedBy).HasMaxLength(256).IsRequired();
        builder.Ignore(d => d.ReadOnly);
        builder.Ignore(d => d.IsStudioDefault);
    }
}
