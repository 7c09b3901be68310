using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Studio.Infrastructure.Leadership;
using Studio.Infrastructure.Tests.Persistence;

namespace Studio.Infrastructure.Tests.Leadership;

/// <summary>Two replicas electing their leader through a PostgreSQL advisory lock on a real server.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresLeadershipTests(PostgresServer postgres)
{
    private static readonly LeadershipOptions Fast = new() { RetryPeriod = TimeSpan.FromSeconds(1), RenewDeadline = TimeSpan.FromSeconds(3) };

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static (ElectedLeadership Leadership, PostgresLeaderElector Elector) Replica(string connectionString, string identity)
    {
        var options = new LeadershipOptions { Identity = identity, RetryPeriod = Fast.RetryPeriod, RenewDeadline = Fast.RenewDeadline };
        var elector = new PostgresLeaderElector(connectionString, options, NullLogger<PostgresLeaderElector>.Instance);
        return (new ElectedLeadership(elector, options.RetryPeriod, NullLogger<ElectedLeadership>.Instance), elector);
    }

    [Fact]
    public async Task TwoReplicas_OneLeads_TheOtherWaits()
    {
        var database = await postgres.CreateDatabaseAsync();
        var (a, _) = Replica(database, "a");
        var (b, _) = Replica(database, "b");
        await using (a)
        await using (b)
        {
            var first = await Task.WhenAny(a.WaitForTermAsync(Ct), b.WaitForTermAsync(Ct)).WaitAsync(TimeSpan.FromSeconds(15), Ct);
            await Task.Delay(TimeSpan.FromSeconds(3), Ct); // three more tries of the other

            Assert.True(a.IsLeader ^ b.IsLeader, $"a leads: {a.IsLeader}, b leads: {b.IsLeader}");
            Assert.False((await first).IsCancellationRequested);
        }
    }

    [Fact]
    public async Task LeadersConnectionDies_TheOtherLeadsWithin15Seconds_AndTheOldTermEnds()
    {
        var database = await postgres.CreateDatabaseAsync();
        var (a, electorA) = Replica(database, "a");
        var (b, _) = Replica(database, "b");
        await using (a)
        await using (b)
        {
            var termA = await a.WaitForTermAsync(Ct).WaitAsync(TimeSpan.FromSeconds(15), Ct);
            var waitingB = b.WaitForTermAsync(Ct);
            Assert.False(waitingB.IsCompleted);

            // What the server sees when the leader's process dies: its session ends.
            var clock = Stopwatch.StartNew();
            await TerminateAsync(database, electorA.ApplicationName);
            var termB = await waitingB.WaitAsync(TimeSpan.FromSeconds(15), Ct);

            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15), $"took over after {clock.Elapsed.TotalSeconds:0.0} s");
            Assert.False(termB.IsCancellationRequested);
            await WaitUntilAsync(() => termA.IsCancellationRequested, TimeSpan.FromSeconds(10));
            Assert.True(b.IsLeader);
        }
    }

    [Fact]
    public async Task LeaderStops_ReleasesTheLock_AndTheOtherLeadsOnItsNextTry()
    {
        var database = await postgres.CreateDatabaseAsync();
        var (a, _) = Replica(database, "a");
        var (b, _) = Replica(database, "b");
        await using (b)
        {
            CancellationToken termA;
            await using (a)
            {
                termA = await a.WaitForTermAsync(Ct).WaitAsync(TimeSpan.FromSeconds(15), Ct);
                _ = b.WaitForTermAsync(Ct);
                await Task.Delay(TimeSpan.FromSeconds(1.5), Ct);
                Assert.False(b.IsLeader);
            }

            var clock = Stopwatch.StartNew();
            await b.WaitForTermAsync(Ct).WaitAsync(TimeSpan.FromSeconds(10), Ct);

            Assert.True(termA.IsCancellationRequested);
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(3), $"took over after {clock.Elapsed.TotalSeconds:0.0} s");
        }
    }

    private static async Task TerminateAsync(string database, string applicationName)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = @name", connection);
        command.Parameters.AddWithValue("name", applicationName);
        Assert.Equal(1L, (long)(await command.ExecuteScalarAsync(Ct))!);
    }

    private static async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out");
            await Task.Delay(50, Ct);
        }
    }
}
