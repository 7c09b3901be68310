using Microsoft.EntityFrameworkCore;
using Studio.Domain.Endpoints;

namespace Studio.Infrastructure.Persistence.Repositories;

internal sealed class OnlineEndpointRepository(StudioDbContext db) : IOnlineEndpointRepository
{
    public async Task<IReadOnlyList<OnlineEndpoint>> ListAsync(Guid workspaceId, CancellationToken cancellationToken) =>
        await db.OnlineEndpoints.Where(e => e.WorkspaceId == workspaceId).OrderBy(e => e.Name).ToListAsync(cancellationToken);

    public Task<OnlineEndpoint?> FindAsync(Guid workspaceId, string name, CancellationToken cancellationToken)
    {
        var normalized = name.ToLowerInvariant();
        return db.OnlineEndpoints.FirstOrDefaultAsync(e => e.WorkspaceId == workspaceId && e.Name == normalized, cancellationToken);
    }

    public Task<bool> NameTakenOnClusterAsync(Guid clusterId, string name, CancellationToken cancellationToken)
    {
        var normalized = name.ToLowerInvariant();
        return db.OnlineEndpoints.AnyAsync(e => e.ClusterId == clusterId && e.Name == normalized, cancellationToken);
    }

    public async Task<IReadOnlyList<OnlineDeployment>> ListDeploymentsAsync(IReadOnlyCollection<Guid> endpointIds, CancellationToken cancellationToken) =>
        endpointIds.Count == 0
            ? []
            : await db.OnlineDeployments.Where(d => endpointIds.Contains(d.EndpointId)).OrderBy(d => d.Name).ToListAsync(cancellationToken);

    public Task<OnlineDeployment?> FindDeploymentAsync(Guid endpointId, string name, CancellationToken cancellationToken)
    {
        var normalized = name.ToLowerInvariant();
        return db.OnlineDeployments.FirstOrDefaultAsync(d => d.EndpointId == endpointId && d.Name == normalized, cancellationToken);
    }

    public void Add(OnlineEndpoint endpoint) => db.OnlineEndpoints.Add(endpoint);

    public void Remove(OnlineEndpoint endpoint) => db.OnlineEndpoints.Remove(endpoint);

    public void AddDeployment(OnlineDeployment deployment) => db.OnlineDeployments.Add(deployment);

    public void RemoveDeployment(OnlineDeployment deployment) => db.OnlineDeployments.Remove(deployment);
}
