using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Studio.Domain.Jobs;

namespace Studio.Infrastructure.Persistence.Configurations;

internal sealed class JobClusterEventConfiguration : IEntityTypeConfiguration<JobClusterEvent>
{
    public void Configure(EntityTypeBuilder<JobClusterEvent> builder)
    {
        builder.ToTable("job_events");
        builder.HasKey(e => e.Id);
        builder.Property(e => e.Uid).HasMaxLength(128);
        builder.Property(e => e.Type).HasMaxLength(16);
        builder.Property(e => e.Reason).HasMaxLength(128);
        builder.Property(e => e.Message).HasMaxLength(4096);
        builder.Property(e => e.Object).HasMaxLength(256);
        builder.HasIndex(e => new { e.JobId, e.Uid }).IsUnique();
    }
}
