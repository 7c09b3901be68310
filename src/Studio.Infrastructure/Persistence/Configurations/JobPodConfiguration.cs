using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Studio.Domain.Jobs;

namespace Studio.Infrastructure.Persistence.Configurations;

internal sealed class JobPodConfiguration : IEntityTypeConfiguration<JobPod>
{
    public void Configure(EntityTypeBuilder<JobPod> builder)
    {
        builder.ToTable("job_pods");
        builder.HasKey(p => p.Id);
        builder.Property(p => p.Name).HasMaxLength(253);
        builder.Property(p => p.Role).HasMaxLength(16);
        builder.Property(p => p.Phase).HasMaxLength(16);
        builder.Property(p => p.Node).HasMaxLength(253);
        builder.Property(p => p.Reason).HasMaxLength(128);
        builder.Property(p => p.Message).HasMaxLength(4096);
        builder.HasIndex(p => new { p.JobId, p.Name }).IsUnique();
    }
}
