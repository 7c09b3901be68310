using Microsoft.EntityFrameworkCore;
using Studio.Domain.Workspaces;

namespace Studio.Infrastructure.Persistence.Repositories;

internal sealed class WorkspaceRepository(StudioDbContext db) : IWorkspaceRepository
{
    public async Task<IReadOnlyList<Workspace>> ListAsync(CancellationToken cancellationToken) =>
        await db.Workspaces.OrderBy(w => w.NormalizedName).ToListAsync(cancellationToken);

    public Task<Workspace?> FindByNameAsync(string name, CancellationToken cancellationToken)
    {
        var normalized = name.ToLowerInvariant();
        return db.Workspaces.FirstOrDefaultAsync(w => w.NormalizedName == normalized, cancellationToken);
    }

    public Task<bool> NameExistsAsync(WorkspaceName name, Guid? exceptId, CancellationToken cancellationToken) =>
        db.Workspaces.AnyAsync(w => w.NormalizedName == name.Normalized && w.Id != exceptId, cancellationToken);

    public void Add(Workspace workspace) => db.Workspaces.Add(workspace);

    public void Remove(Workspace workspace) => db.Workspaces.Remove(workspace);

    public Task SaveChangesAsync(CancellationToken cancellationToken) => db.SaveChangesAsync(cancellationToken);
}
