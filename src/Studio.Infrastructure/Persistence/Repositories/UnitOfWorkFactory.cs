using Microsoft.EntityFrameworkCore;

namespace Studio.Infrastructure.Persistence.Repositories;

/// <summary>
/// Starts units of work. The application services are singletons and open one database context per operation, so
/// they get this (a singleton too) injected rather than repositories: <c>await using var work = units.Begin();</c>
/// then <c>work.Workspaces</c>, <c>work.Clusters</c>, <c>work.SaveChangesAsync</c>. Nothing outlives the operation.
/// </summary>
public sealed class UnitOfWorkFactory(IDbContextFactory<StudioDbContext> contexts)
{
    /// <summary>A unit of work with its own new context, closed when the unit of work is disposed.</summary>
    public UnitOfWork Begin() => new(contexts.CreateDbContext(), ownsContext: true);

    /// <summary>The repositories over a context an operation already opened; disposing leaves the context open.</summary>
    public UnitOfWork Join(StudioDbContext db) => new(db, ownsContext: false);
}
