using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Studio.Domain.Workspaces;
using Studio.Infrastructure.Events;
using Studio.Infrastructure.Persistence;

namespace Studio.Infrastructure.Workspaces;

/// <summary>Workspace names by id, read once and kept current by <see cref="WorkspaceRenamed"/> (for events that carry the id).</summary>
public sealed class WorkspaceNames(IDbContextFactory<StudioDbContext> contexts) : IDomainEventHandler<WorkspaceCreated>, IDomainEventHandler<WorkspaceRenamed>
{
    private readonly ConcurrentDictionary<Guid, string> _names = new();

    /// <summary>The workspace's name now, or "(removed)".</summary>
    public async ValueTask<string> GetAsync(Guid id, CancellationToken cancellationToken)
    {
        if (_names.TryGetValue(id, out var name))
        {
            return name;
        }

        await using var db = contexts.CreateDbContext();
        name = await db.Workspaces.AsNoTracking().Where(w => w.Id == id).Select(w => w.Name).FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        if (name is null)
        {
            return "(removed)";
        }

        _names[id] = name;
        return name;
    }

    public ValueTask HandleAsync(WorkspaceCreated domainEvent, CancellationToken cancellationToken)
    {
        _names[domainEvent.WorkspaceId] = domainEvent.Name;
        return ValueTask.CompletedTask;
    }

    public ValueTask HandleAsync(WorkspaceRenamed domainEvent, CancellationToken cancellationToken)
    {
        _names[domainEvent.WorkspaceId] = domainEvent.NewName;
        return ValueTask.CompletedTask;
    }
}
