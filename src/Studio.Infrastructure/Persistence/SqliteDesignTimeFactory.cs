using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Studio.Infrastructure.Persistence;

/// <summary>Lets <c>dotnet ef migrations add X --context SqliteStudioDbContext</c> build the context without the web host.</summary>
internal sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteStudioDbContext>
{
    public SqliteStudioDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteStudioDbContext>().UseSqlite("Data Source=design.db").Options);
}
