using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Studio.Domain.Jobs;

namespace Studio.Infrastructure.Persistence.Configurations;

internal sealed class JobTimelineEntryConfiguration : IEntityTypeConfiguration<JobTimelineEntry>
{
    public void Configure(EntityTypeBuilder<JobTimelineEntry> builder)
    {
        builder.ToTable("job_transitions");
        builder.HasKey(t => t.Id);
        builder.Property(t => t.State).HasConversion<string>().HasMaxLength(16);
        builder.Property(t => t.Reason).HasMaxLength(128);
    }
}
