using Microsoft.EntityFrameworkCore;

namespace Studio.Infrastructure.Persistence;

/// <summary>Hands out the configured provider's context as a <see cref="StudioDbContext"/>.</summary>
internal sealed class StudioDbContextFactory<TContext>(IDbContextFactory<TContext> inner) : IDbContextFactory<StudioDbContext>
    where TContext : StudioDbContext
{
    public StudioDbContext CreateDbContext() => inner.CreateDbContext();
}
