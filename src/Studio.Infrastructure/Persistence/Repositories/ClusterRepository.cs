using Microsoft.EntityFrameworkCore;
using Studio.Domain.Clusters;

namespace Studio.Infrastructure.Persistence.Repositories;

internal sealed class ClusterRepository(StudioDbContext db) : IClusterRepository
{
    public async Task<IReadOnlyList<Cluster>> ListAsync(CancellationToken cancellationToken) =>
        await db.Clusters.OrderBy(c => c.Name).ToListAsync(cancellationToken);

    public Task<Cluster?> FindByNameAsync(string name, CancellationToken cancellationToken) =>
        db.Clusters.FirstOrDefaultAsync(c => c.Name == name, cancellationToken);

    public Task<Cluster?> FindAsync(Guid id, CancellationToken cancellationToken) =>
        db.Clusters.FirstOrDefaultAsync(c => c.Id == id, cancellationToken);

    public void Add(Cluster cluster) => db.Clusters.Add(cluster);

    public void Remove(Cluster cluster) => db.Clusters.Remove(cluster);

    public Task SaveChangesAsync(CancellationToken cancellationToken) => db.SaveChangesAsync(cancellationToken);
}
