using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Studio.Domain.Workspaces;

namespace Studio.Infrastructure.Persistence.Configurations;

internal sealed class WorkspaceConfiguration : IEntityTypeConfiguration<Workspace>
{
    public void Configure(EntityTypeBuilder<Workspace> builder)
    {
        builder.ToTable("workspaces");
        builder.HasKey(w => w.Id);
        builder.Property(w => w.Name).HasMaxLength(WorkspaceName.MaxLength).IsRequired();
        builder.Property(w => w.NormalizedName).HasMaxLength(WorkspaceName.MaxLength).IsRequired();
        builder.HasIndex(w => w.NormalizedName).IsUnique();
        builder.Property(w => w.Description).HasMaxLength(1024);
        builder.Ignore(w => w.DomainEvents);

        builder.OwnsMany(w => w.Members, m =>
        {
            m.ToTable("workspace_members");
            m.WithOwner().HasForeignKey("WorkspaceId");
            m.Property<Guid>("WorkspaceId");
            m.HasKey("WorkspaceId", nameof(WorkspaceMember.UserId));
            m.Property(x => x.UserId).HasMaxLength(256);
            m.Property(x => x.DisplayName).HasMaxLength(256).IsRequired();
            m.Property(x => x.Role).HasConversion<string>().HasMaxLength(32);
        });
        builder.Navigation(w => w.Members).HasField("_members").UsePropertyAccessMode(PropertyAccessMode.Field);

        builder.OwnsMany(w => w.ComputeTargets, c =>
        {
            c.ToTable("compute_targets");
            c.WithOwner().HasForeignKey("WorkspaceId");
            c.Property<Guid>("WorkspaceId");
            c.HasKey("WorkspaceId", nameof(ComputeTarget.Name));
            c.Property(x => x.Name).HasMaxLength(ComputeTargetName.MaxLength);
            c.Property(x => x.Namespace).HasMaxLength(63).IsRequired();
            c.Property(x => x.Description).HasMaxLength(1024);
            c.HasIndex(x => x.ClusterId);
            c.Property(x => x.State).HasConversion<string>().HasMaxLength(16);
            c.Property(x => x.StateReason).HasMaxLength(2048);
            c.Property(x => x.DefaultInstanceType).HasMaxLength(253).HasDefaultValue(ComputeTarget.DefaultInstanceTypeName).IsRequired();
            c.Property(x => x.QuotaCpu).HasMaxLength(32);
            c.Property(x => x.QuotaMemory).HasMaxLength(32);
            c.Property(x => x.Identity).HasMaxLength(512);
            c.Property(x => x.PodSecurity).HasConversion<string>().HasMaxLength(16).HasDefaultValue(PodSecurityLevel.Restricted).HasSentinel((PodSecurityLevel)(-1));
            c.Property<string?>("_allowedInstanceTypes").HasColumnName("AllowedInstanceTypes").HasMaxLength(16384);
            c.Ignore(x => x.Quota);
            c.Ignore(x => x.AllowedInstanceTypes);
        });
        builder.Navigation(w => w.ComputeTargets).HasField("_computeTargets").UsePropertyAccessMode(PropertyAccessMode.Field);

        builder.OwnsMany(w => w.Environments, e =>
        {
            e.ToTable("workspace_environments");
            e.WithOwner().HasForeignKey("WorkspaceId");
            e.Property<Guid>("WorkspaceId");
            e.HasKey("WorkspaceId", nameof(WorkspaceEnvironment.Name), nameof(WorkspaceEnvironment.Version));
            e.Property(x => x.Name).HasMaxLength(WorkspaceEnvironment.NameMaxLength);
            e.Property(x => x.Version).HasMaxLength(WorkspaceEnvironment.VersionMaxLength);
            e.Property(x => x.Image).HasMaxLength(1024).IsRequired();
            e.Property(x => x.Description).HasMaxLength(1024);
            e.Property(x => x.RegisteredBy).HasMaxLength(256).IsRequired();
            e.Ignore(x => x.Reference);
        });
        builder.Navigation(w => w.Environments).HasField("_environments").UsePropertyAccessMode(PropertyAccessMode.Field);
    }
}
