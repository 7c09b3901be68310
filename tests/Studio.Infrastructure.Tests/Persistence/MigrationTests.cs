using Microsoft.Data.Sqlite;
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
    public async Task Migrate_WhenTheSqliteFileHasMigrationsFromBeforeTheBaseline_MovesItAsideAndCreatesANewDatabase()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var provider = await TestDatabases.CreateAsync(DatabaseTarget.Sqlite, postgres);
        var file = await MakePreBaselineDatabaseAsync(provider);

        await provider.GetRequiredService<DatabaseMigrator>().MigrateAsync(ct);

        await using var db = provider.Context();
        Assert.Equal(db.Database.GetMigrations(), await db.Database.GetAppliedMigrationsAsync(ct));
        Assert.Equal(0, await db.AuditEntries.CountAsync(ct));
        var aside = Assert.Single(Directory.GetFiles(Path.GetDirectoryName(file)!, Path.GetFileName(file) + ".pre-baseline-*"), f => !f.EndsWith("-wal", StringComparison.Ordinal) && !f.EndsWith("-shm", StringComparison.Ordinal));
        await using var old = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = aside, Pooling = false }.ToString());
        await old.OpenAsync(ct);
        await using var count = old.CreateCommand();
        count.CommandText = "SELECT COUNT(*) FROM audit_entries WHERE Action = 'before.baseline'";
        Assert.Equal(1L, await count.ExecuteScalarAsync(ct));
    }

    [Fact]
    public async Task Migrate_WhenThePostgresDatabaseHasMigrationsFromBeforeTheBaseline_FailsWithAClearMessageAndKeepsIt()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var provider = await TestDatabases.CreateAsync(DatabaseTarget.PostgreSQL, postgres);
        await MakePreBaselineDatabaseAsync(provider);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => provider.GetRequiredService<DatabaseMigrator>().MigrateAsync(ct));

        Assert.Contains("20261128210134_Initial", error.Message, StringComparison.Ordinal);
        Assert.Contains("Drop and recreate the database", error.Message, StringComparison.Ordinal);
        await using var db = provider.Context();
        Assert.Equal(1, await db.AuditEntries.CountAsync(a => a.Action == "before.baseline", ct));
    }

    [Fact]
    public void Model_HasNoChangesMissingFromMigrations_OnEitherProvider()
    {
        using var sqlite = new SqliteDesignTimeFactory().CreateDbContext([]);
        using var pg = new PostgresDesignTimeFactory().CreateDbContext([]);
        Assert.False(sqlite.Database.HasPendingModelChanges(), "The model changed without a SQLite migration: run dotnet ef migrations add <Name> --project src/Studio.Infrastructure --context SqliteStudioDbContext (Persistence/README.md).");
        Assert.False(pg.Database.HasPendingModelChanges(), "The model changed without a PostgreSQL migration: run dotnet ef migrations add <Name> --project src/Studio.Infrastructure --context PostgresStudioDbContext (Persistence/README.md).");
    }

    /// <summary>
    /// Turns a migrated database into one made by the migrations that were squashed into the baseline: its history
    /// names an old migration, and it holds a row. Returns the SQLite file (null on PostgreSQL).
    /// </summary>
    private static async Task<string?> MakePreBaselineDatabaseAsync(IServiceProvider provider)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var db = provider.Context();
        db.AuditEntries.Add(new AuditEntry { At = DateTimeOffset.UtcNow, UserId = "u", Action = "before.baseline", Target = "t" });
        await db.SaveChangesAsync(ct);
        await db.Database.ExecuteSqlRawAsync("DELETE FROM \"__EFMigrationsHistory\"", ct);
        await db.Database.ExecuteSqlRawAsync("INSERT INTO \"__EFMigrationsHistory\" (\"MigrationId\", \"ProductVersion\") VALUES ('20261128210134_Initial', '10.0.0')", ct);
        return db.Database.IsSqlite() ? new SqliteConnectionStringBuilder(db.Database.GetConnectionString()).DataSource : null;
    }
}
