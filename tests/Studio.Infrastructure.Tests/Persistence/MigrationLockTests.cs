using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Studio.Infrastructure.Leadership;
using Studio.Infrastructure.Persistence;

namespace Studio.Infrastructure.Tests.Persistence;

/// <summary>Replicas starting together on one PostgreSQL database migrate it once, one at a time.</summary>
[Collection(PostgresCollection.Name)]
public sealed class MigrationLockTests(PostgresServer postgres)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static ServiceProvider Replica(string connectionString)
    {
        var services = new ServiceCollection().AddLogging();
        services.AddStudioPersistence(new DatabaseOptions { Provider = DatabaseProvider.PostgreSQL, ConnectionString = connectionString }, Path.Combine(Path.GetTempPath(), "studio-lock-" + Guid.NewGuid().ToString("N")[..8]));
        return services.BuildServiceProvider();
    }

    [Fact]
    public async Task Migrate_WhileAnotherReplicaHoldsTheMigrationLock_WaitsForIt()
    {
        var database = await postgres.CreateDatabaseAsync();
        await using var other = new NpgsqlConnection(database);
        await other.OpenAsync(Ct);
        await using (var take = new NpgsqlCommand($"SELECT pg_advisory_lock({DatabaseMigrator.MigrationLockKey})", other))
        {
            await take.ExecuteNonQueryAsync(Ct);
        }

        await using var replica = Replica(database);
        var migrating = replica.GetRequiredService<DatabaseMigrator>().MigrateAsync(Ct);
        await Task.Delay(TimeSpan.FromSeconds(2), Ct);
        Assert.False(migrating.IsCompleted);

        await using (var release = new NpgsqlCommand($"SELECT pg_advisory_unlock({DatabaseMigrator.MigrationLockKey})", other))
        {
            await release.ExecuteNonQueryAsync(Ct);
        }

        await migrating.WaitAsync(TimeSpan.FromSeconds(60), Ct);
        await using var db = replica.Context();
        Assert.Empty(await db.Database.GetPendingMigrationsAsync(Ct));
    }

    [Fact]
    public async Task ThreeReplicasMigratingAtOnce_ApplyEveryMigrationOnce()
    {
        var database = await postgres.CreateDatabaseAsync();
        var replicas = Enumerable.Range(0, 3).Select(_ => Replica(database)).ToList();
        try
        {
            await Task.WhenAll(replicas.Select(r => r.GetRequiredService<DatabaseMigrator>().MigrateAsync(Ct)));

            await using var db = replicas[0].Context();
            var applied = await db.Database.GetAppliedMigrationsAsync(Ct);
            Assert.Equal(db.Database.GetMigrations(), applied);
        }
        finally
        {
            foreach (var replica in replicas)
            {
                await replica.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task PostgreSqlPersistence_ElectsItsLeader_SqliteAlwaysLeads()
    {
        await using var sqlite = await TestDatabases.CreateAsync(DatabaseTarget.Sqlite, postgres);
        await using var pg = Replica(await postgres.CreateDatabaseAsync());

        Assert.IsType<SingleReplicaLeadership>(sqlite.GetRequiredService<ILeadership>());
        Assert.True(sqlite.GetRequiredService<ILeadership>().IsLeader);
        var elected = Assert.IsType<ElectedLeadership>(pg.GetRequiredService<ILeadership>());
        Assert.Equal("PostgreSQL advisory lock", elected.Mechanism);
    }
}
