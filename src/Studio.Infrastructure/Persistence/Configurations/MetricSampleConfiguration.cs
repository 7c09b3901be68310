using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Studio.Infrastructure.Persistence.Configurations;

internal sealed class MetricSampleConfiguration : IEntityTypeConfiguration<MetricSample>
{
    public void Configure(EntityTypeBuilder<MetricSample> builder)
    {
        builder.ToTable("metric_samples");
        builder.HasKey(s => s.Id);
        builder.Property(s => s.Pool).HasMaxLength(128);

        // The charts read one cluster over a time range; retention deletes by time.
        builder.HasIndex(s => new { s.ClusterId, s.At });
        builder.HasIndex(s => s.At);
    }
}
