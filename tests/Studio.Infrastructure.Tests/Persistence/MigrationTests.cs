using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Studio.Infrastructure.Persistence;

namespace Studio.Infrastructure.Tests.Persistence;

[Collection(PostgresCollection.Name)]
public sealed class MigrationTests(PostgresServer postgres)
{
    [Theory]
    [InlineData(DatabaseTarget.Sqlite)]
    [InlineData(DatabaseTarget.PostgreSQL)]
    public async Task Migrate_OnEmptyDatabase_AppliesEveryMigrationAndCreatesTables(DatabaseTarget target)
    {
        await using var provider = await TestDatabases.CreateAsync(target, postgres);
        await using var db = provider.Context();

        var applied = await db.Database.GetAppliedMigrationsAsync(TestContext.Current.CancellationToken);
        var all = db.Database.GetMigrations();
        Assert.NotEmpty(all);
        Assert.Equal(all, applied);
        Assert.Empty(await db.Database.GetPendingMigrationsAsync(TestContext.Current.CancellationToken));
        Assert.Equal(0, await db.Workspaces.CountAsync(TestContext.Current.CancellationToken));
        Assert.Equal(0, await db.Clusters.CountAsync(TestContext.Current.CancellationToken));
        Assert.Equal(0, await db.AuditEntries.CountAsync(TestContext.Current.CancellationToken));
    }

    [Theory]
    [InlineData(DatabaseTarget.Sqlite)]
    [InlineData(DatabaseTarget.PostgreSQL)]
    public async Task Migrate_Twice_IsANoOp(DatabaseTarget target)
    {
        await using var provider = await TestDatabases.CreateAsync(target, postgres);
        await provider.GetRequiredService<DatabaseMigrator>().MigrateAsync(TestContext.Current.CancellationToken);
        await using var db = provider.Context();
        Assert.Empty(await db.Database.GetPendingMigrationsAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public void Model_HasNoChangesMissingFromMigrations_OnEitherProvider()
    {
        using var sqlite = new SqliteDesignTimeFactory().CreateDbContext([]);
        using var pg = new PostgresDesignTimeFactory().CreateDbContext([]);
        Assert.False(sqlite.Database.HasPendingModelChanges(), "The model changed without a SQLite migration: run dotnet ef migrations add <Name> --context SqliteStudioDbContext.");
        Assert.False(pg.Database.HasPendingModelChanges(), "The model changed without a PostgreSQL migration: run dotnet ef migrations add <Name> --context PostgresStudioDbContext.");
    }
}
