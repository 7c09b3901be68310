namespace Studio.Domain.Workspaces;

/// <summary>Loads and saves workspace aggregates.</summary>
public interface IWorkspaceRepository
{
    Task<IReadOnlyList<Workspace>> ListAsync(CancellationToken cancellationToken);

    Task<Workspace?> FindByNameAsync(string name, CancellationToken cancellationToken);

    Task<bool> NameExistsAsync(WorkspaceName name, Guid? exceptId, CancellationToken cancellationToken);

    void Add(Workspace workspace);

    void Remove(Workspace workspace);

    Task SaveChangesAsync(CancellationToken cancellationToken);
}
