using Studio.Domain.Clusters;
using Studio.Domain.Endpoints;
using Studio.Domain.Workspaces;

namespace Studio.Infrastructure.Persistence.Repositories;

/// <summary>
/// One operation's unit of work: one <see cref="StudioDbContext"/> and the repositories over it. Saving dispatches the
/// domain events the aggregates raised (after the save). Disposing it closes the context when the unit of work opened it.
/// </summary>
public sealed class UnitOfWork : IAsyncDisposable
{
    private readonly bool _ownsContext;

    internal UnitOfWork(StudioDbContext db, bool ownsContext)
    {
        Db = db;
        _ownsContext = ownsContext;
        Workspaces = new WorkspaceRepository(db);
        Clusters = new ClusterRepository(db);
        Endpoints = new OnlineEndpointRepository(db);
    }

    /// <summary>The context, for what has no repository: audit entries, attachments, job records, credentials.</summary>
    public StudioDbContext Db { get; }

    public IWorkspaceRepository Workspaces { get; }

    public IClusterRepository Clusters { get; }

    public IOnlineEndpointRepository Endpoints { get; }

    public Task SaveChangesAsync(CancellationToken cancellationToken) => Db.SaveChangesAsync(cancellationToken);

    public ValueTask DisposeAsync() => _ownsContext ? Db.DisposeAsync() : ValueTask.CompletedTask;
}
