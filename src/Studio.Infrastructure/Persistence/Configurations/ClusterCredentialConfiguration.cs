using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Studio.Domain.Clusters;

namespace Studio.Infrastructure.Persistence.Configurations;

internal sealed class ClusterCredentialConfiguration : IEntityTypeConfiguration<ClusterCredential>
{
    public void Configure(EntityTypeBuilder<ClusterCredential> builder)
    {
        builder.ToTable("cluster_credentials");
        builder.HasKey(c => c.ClusterId);
        builder.Property(c => c.ProtectedKubeconfig).IsRequired();
        builder.HasOne<Cluster>().WithOne().HasForeignKey<ClusterCredential>(c => c.ClusterId).OnDelete(DeleteBehavior.Cascade);
    }
}
