using Microsoft.EntityFrameworkCore;
using Studio.Domain.Common;
using Studio.Domain.Jobs;
using Studio.Domain.Workspaces;
using Studio.Infrastructure.Persistence;
using Studio.Infrastructure.Persistence.Repositories;

namespace Studio.Infrastructure.Jobs;

/// <summary>Who may see or change a workspace's jobs: loads the workspace (and a job) and checks the actor's role in it.</summary>
public sealed class JobAccess(UnitOfWorkFactory units)
{
    /// <summary>
    /// The workspace (loaded in <paramref name="db"/>) when <paramref name="actor"/> has at least <paramref name="minimum"/>
    /// in it; else why not (not found, or "Only data scientists of workspace 'x' can <paramref name="action"/>.").
    /// </summary>
    public async Task<(Workspace? Workspace, Error? Denied)> WorkspaceAsync(StudioDbContext db, Actor actor, string workspaceName, WorkspaceRole minimum, string? action, CancellationToken cancellationToken)
    {
        await using var work = units.Join(db);
        return await WorkspaceAsync(work, actor, workspaceName, minimum, action, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The job (with its timeline, events and pods when <paramref name="includeChildren"/>) when the actor may see or change it.</summary>
    public async Task<Result<(Workspace Workspace, TrainingJob Record)>> FindAsync(Actor actor, string workspaceName, string name, WorkspaceRole minimum, bool includeChildren, CancellationToken cancellationToken)
    {
        await using var work = units.Begin();
        var (workspace, denied) = await WorkspaceAsync(work, actor, workspaceName, minimum, "change its jobs", cancellationToken).ConfigureAwait(false);
        if (denied is not null)
        {
            return denied;
        }

        IQueryable<TrainingJob> jobs = work.Db.Jobs.AsNoTracking();
        if (includeChildren)
        {
            jobs = jobs.Include(j => j.Transitions).Include(j => j.Events).Include(j => j.Pods).AsSplitQuery();
        }

        var record = await jobs.FirstOrDefaultAsync(j => j.WorkspaceId == workspace!.Id && j.Name == name, cancellationToken).ConfigureAwait(false);
        if (record is null)
        {
            return Error.NotFound($"Workspace '{workspace!.Name}' has no job named '{name}'.");
        }

        return (workspace!, record);
    }

    private static async Task<(Workspace? Workspace, Error? Denied)> WorkspaceAsync(UnitOfWork work, Actor actor, string workspaceName, WorkspaceRole minimum, string? action, CancellationToken cancellationToken)
    {
        var workspace = await work.Workspaces.FindByNameAsync(workspaceName, cancellationToken).ConfigureAwait(false);
        var forbidden = action is null ? null : $"Only data scientists of workspace '{workspace?.Name}' can {action}.";
        return WorkspaceAccess.Check(actor, workspace, workspaceName, minimum, forbidden) is { } denied ? (null, denied) : (workspace, null);
    }
}
