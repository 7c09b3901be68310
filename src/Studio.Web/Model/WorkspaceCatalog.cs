using Studio.Domain.Common;
using Studio.Domain.Workspaces;
using Studio.Infrastructure.Workspaces;

namespace Studio.Web.Model;

/// <summary>
/// The circuit's view of workspaces: wraps <see cref="WorkspaceService"/> and tells the layout (switcher) when this
/// user created, renamed or deleted one, so every part of the page agrees without a reload.
/// </summary>
public sealed class WorkspaceCatalog(WorkspaceService service)
{
    public event Action? Changed;

    public Task<IReadOnlyList<WorkspaceSummary>> ListAsync(Actor actor, CancellationToken cancellationToken = default) => service.ListAsync(actor, cancellationToken);

    /// <summary>The workspace as <paramref name="actor"/> sees it; "not found" when it does not exist or they are not a member.</summary>
    public Task<Result<WorkspaceSummary>> GetAsync(Actor actor, string name, CancellationToken cancellationToken = default) => service.GetAsync(actor, name, cancellationToken);

    public async Task<Result<WorkspaceSummary>> CreateAsync(Actor actor, string? name, string? description, CancellationToken cancellationToken = default) =>
        Notify(await service.CreateAsync(actor, name, description, cancellationToken));

    public async Task<Result<WorkspaceSummary>> UpdateAsync(Actor actor, string name, string? newName, string? description, CancellationToken cancellationToken = default) =>
        Notify(await service.UpdateAsync(actor, name, newName, description, cancellationToken));

    public async Task<Result> DeleteAsync(Actor actor, string name, CancellationToken cancellationToken = default) =>
        Notify(await service.DeleteAsync(actor, name, cancellationToken));

    private T Notify<T>(T result)
        where T : Result
    {
        if (result.IsSuccess)
        {
            Changed?.Invoke();
        }

        return result;
    }
}
