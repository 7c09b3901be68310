using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Studio.Domain.Jobs;

namespace Studio.Infrastructure.Persistence.Configurations;

internal sealed class EnvironmentBuildConfiguration : IEntityTypeConfiguration<EnvironmentBuild>
{
    public void Configure(EntityTypeBuilder<EnvironmentBuild> builder)
    {
        builder.ToTable("environment_builds");
        builder.HasKey(b => b.Id);
        builder.Ignore(b => b.DomainEvents);
        builder.Property(b => b.Image).HasMaxLength(1024);
        builder.Property(b => b.Registry).HasMaxLength(900);
        builder.Property(b => b.Tag).HasMaxLength(128);
        builder.Property(b => b.State).HasConversion<string>().HasMaxLength(16);
        builder.Property(b => b.Namespace).HasMaxLength(63);
        builder.Property(b => b.BuilderJob).HasMaxLength(63);
        builder.Property(b => b.BuilderPod).HasMaxLength(253);
        builder.Property(b => b.JobName).HasMaxLength(63);
        builder.Property(b => b.Failure).HasMaxLength(1024);
        builder.Property(b => b.LogTail).HasMaxLength(EnvironmentBuild.MaxLogTail);
        // One build per (registry, tag): concurrent submits of the same context meet on this index and wait on one build.
        builder.HasIndex(b => b.Image).IsUnique();
        builder.HasIndex(b => b.State);
    }
}
