using Microsoft.EntityFrameworkCore;
using Studio.Infrastructure.Persistence;

namespace Studio.Infrastructure.Tests.Persistence;

[Collection(PostgresCollection.Name)]
public sealed class SqliteConcurrencyTests(PostgresServer postgres)
{
    [Fact]
    public async Task Sqlite_ConcurrentWritersAndReaders_NeverSeeLockErrors_AndTheFileIsInWalMode()
    {
        await using var provider = await TestDatabases.CreateAsync(DatabaseTarget.Sqlite, postgres);
        var ct = TestContext.Current.CancellationToken;

        async Task WriteAsync(int writer)
        {
            for (var i = 0; i < 100; i++)
            {
                await using var db = provider.Context();
                db.Set<AuditEntry>().Add(new AuditEntry { At = DateTimeOffset.UtcNow, UserId = $"w{writer}", Action = "test.write", Target = $"t{i}" });
                await db.SaveChangesAsync(ct);
            }
        }

        async Task ReadAsync()
        {
            for (var i = 0; i < 30; i++)
            {
                await using var db = provider.Context();
                await foreach (var unused in db.Set<AuditEntry>().AsNoTracking().OrderByDescending(a => a.Id).Take(50).AsAsyncEnumerable().WithCancellation(ct))
                {
                    // Holding a reader open while others write is what failed with a shared cache.
                    await Task.Delay(1, ct);
                }
            }
        }

        await Task.WhenAll(Task.Run(() => WriteAsync(1), ct), Task.Run(() => WriteAsync(2), ct), Task.Run(() => WriteAsync(3), ct), Task.Run(ReadAsync, ct), Task.Run(ReadAsync, ct));

        await using var check = provider.Context();
        Assert.Equal(300, await check.Set<AuditEntry>().CountAsync(a => a.Action == "test.write", ct));
        var connection = check.Database.GetDbConnection();
        await connection.OpenAsync(ct);
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode;";
        Assert.Equal("wal", (string?)await command.ExecuteScalarAsync(ct));
    }
}
