namespace Studio.Domain.Endpoints;

/// <summary>Loads and saves online endpoints and their deployments.</summary>
public interface IOnlineEndpointRepository
{
    Task<IReadOnlyList<OnlineEndpoint>> ListAsync(Guid workspaceId, CancellationToken cancellationToken);

    Task<OnlineEndpoint?> FindAsync(Guid workspaceId, string name, CancellationToken cancellationToken);

    /// <summary>Whether another endpoint on <paramref name="clusterId"/> (in any workspace) is called <paramref name="name"/>: its scoring path would clash.</summary>
    Task<bool> NameTakenOnClusterAsync(Guid clusterId, string name, CancellationToken cancellationToken);

    /// <summary>The deployments of the endpoints, by name.</summary>
    Task<IReadOnlyList<OnlineDeployment>> ListDeploymentsAsync(IReadOnlyCollection<Guid> endpointIds, CancellationToken cancellationToken);

    Task<OnlineDeployment?> FindDeploymentAsync(Guid endpointId, string name, CancellationToken cancellationToken);

    void Add(OnlineEndpoint endpoint);

    void Remove(OnlineEndpoint endpoint);

    void AddDeployment(OnlineDeployment deployment);

    void RemoveDeployment(OnlineDeployment deployment);
}
