using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Studio.Infrastructure.Persistence.Configurations;

internal sealed class JobTransitionRecordConfiguration : IEntityTypeConfiguration<JobTransitionRecord>
{
    public void Configure(EntityTypeBuilder<JobTransitionRecord> builder)
    {
        builder.ToTable("job_transitions");
        builder.HasKey(t => t.Id);
        builder.Property(t => t.State).HasMaxLength(16);
        builder.Property(t => t.Reason).HasMaxLength(128);
    }
}
