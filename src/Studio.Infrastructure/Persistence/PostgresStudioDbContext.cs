using Microsoft.EntityFrameworkCore;

namespace Studio.Infrastructure.Persistence;

/// <summary>The PostgreSQL flavour of <see cref="StudioDbContext"/>; its migrations live in Migrations/Postgres.</summary>
public sealed class PostgresStudioDbContext(DbContextOptions<PostgresStudioDbContext> options) : StudioDbContext(options);
