using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Studio.Domain.Jobs;

namespace Studio.Infrastructure.Persistence.Configurations;

internal sealed class TrainingJobConfiguration : IEntityTypeConfiguration<TrainingJob>
{
    public void Configure(EntityTypeBuilder<TrainingJob> builder)
    {
        builder.ToTable("jobs");
        builder.HasKey(j => j.Id);
        builder.Ignore(j => j.DomainEvents);
        builder.Ignore(j => j.Requests);
        builder.Ignore(j => j.Limits);
        builder.Ignore(j => j.IsTerminal);
        builder.Property(j => j.Name).HasMaxLength(63);
        builder.Property(j => j.KubernetesName).HasMaxLength(63);
        builder.Ignore(j => j.HasWorkspaceUniqueName);
        builder.Property(j => j.RequestId).HasMaxLength(128);
        builder.Property(j => j.RequestHash).HasMaxLength(64);
        builder.Property(j => j.DisplayName).HasMaxLength(256);
        builder.Property(j => j.Experiment).HasMaxLength(256);
        builder.Property(j => j.Compute).HasMaxLength(64);
        builder.Property(j => j.Namespace).HasMaxLength(63);
        builder.Property(j => j.InstanceType).HasMaxLength(253);
        // Enums as their names: the database stays readable (State = 'Running').
        builder.Property(j => j.Distribution).HasConversion<string>().HasMaxLength(16);
        builder.Property(j => j.Image).HasMaxLength(1024);
        builder.Property(j => j.SubmitterId).HasMaxLength(256);
        builder.Property(j => j.SubmitterName).HasMaxLength(256);
        builder.Property(j => j.State).HasConversion<string>().HasMaxLength(16);
        builder.Property(j => j.Reason).HasMaxLength(128);
        builder.Property(j => j.Message).HasMaxLength(4096);
        builder.Property(j => j.Hint).HasMaxLength(1024);
        builder.Property(j => j.SearchText).HasMaxLength(2048);
        // The tracker and a cancel may write the same record: the later writer re-reads instead of overwriting.
        builder.Property(j => j.UpdatedAt).IsConcurrencyToken();
        builder.HasIndex(j => new { j.WorkspaceId, j.Name }).IsUnique();
        builder.HasIndex(j => new { j.WorkspaceId, j.RequestId });
        builder.HasIndex(j => new { j.WorkspaceId, j.CreatedAt });
        builder.HasIndex(j => new { j.WorkspaceId, j.State });
        builder.HasIndex(j => new { j.ClusterId, j.State });
        builder.HasIndex(j => new { j.ClusterId, j.KubernetesName });
        builder.HasIndex(j => new { j.WaitsForEnvironmentBuild, j.State });

        builder.HasMany(j => j.Transitions).WithOne().HasForeignKey(t => t.JobId).OnDelete(DeleteBehavior.Cascade);
        builder.Navigation(j => j.Transitions).HasField("_transitions").UsePropertyAccessMode(PropertyAccessMode.Field);
        builder.HasMany(j => j.Events).WithOne().HasForeignKey(e => e.JobId).OnDelete(DeleteBehavior.Cascade);
        builder.Navigation(j => j.Events).HasField("_events").UsePropertyAccessMode(PropertyAccessMode.Field);
        builder.HasMany(j => j.Pods).WithOne().HasForeignKey(p => p.JobId).OnDelete(DeleteBehavior.Cascade);
        builder.Navigation(j => j.Pods).HasField("_pods").UsePropertyAccessMode(PropertyAccessMode.Field);
    }
}
