using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Studio.Infrastructure.Persistence;

/// <summary>Lets <c>dotnet ef migrations add X --context PostgresStudioDbContext</c> build the context without a server.</summary>
internal sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresStudioDbContext>
{
    public PostgresStudioDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresStudioDbContext>().UseNpgsql("Host=localhost;Database=studio_design").Options);
}
