using Microsoft.EntityFrameworkCore;

namespace Studio.Infrastructure.Persistence;

/// <summary>The SQLite flavour of <see cref="StudioDbContext"/>; its migrations live in Migrations/Sqlite.</summary>
public sealed class SqliteStudioDbContext(DbContextOptions<SqliteStudioDbContext> options) : StudioDbContext(options);
