using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Studio.Domain.Artifacts;

namespace Studio.Infrastructure.Persistence.Configurations;

internal sealed class DatastoreCredentialConfiguration : IEntityTypeConfiguration<DatastoreCredential>
{
    public void Configure(EntityTypeBuilder<DatastoreCredential> builder)
    {
        builder.ToTable("datastore_credentials");
        builder.HasKey(c => c.DatastoreId);
        builder.Property(c => c.ProtectedSecret).IsRequired();
        builder.HasOne<Datastore>().WithOne().HasForeignKey<DatastoreCredential>(c => c.DatastoreId).OnDelete(DeleteBehavior.Cascade);
    }
}
