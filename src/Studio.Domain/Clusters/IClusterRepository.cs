namespace Studio.Domain.Clusters;

/// <summary>Loads and saves registered clusters.</summary>
public interface IClusterRepository
{
    Task<IReadOnlyList<Cluster>> ListAsync(CancellationToken cancellationToken);

    Task<Cluster?> FindByNameAsync(string name, CancellationToken cancellationToken);

    Task<Cluster?> FindAsync(Guid id, CancellationToken cancellationToken);

    void Add(Cluster cluster);

    void Remove(Cluster cluster);

    Task SaveChangesAsync(CancellationToken cancellationToken);
}
