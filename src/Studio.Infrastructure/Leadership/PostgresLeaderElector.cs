using Microsoft.Extensions.Logging;
using Npgsql;

namespace Studio.Infrastructure.Leadership;

/// <summary>
/// The leader holds a session-level PostgreSQL advisory lock on a connection of its own (no pool). When the leader dies,
/// its connection closes and the server frees the lock: a waiting replica gets it on its next try (every
/// <see cref="LeadershipOptions.RetryPeriod"/>). The leader checks its connection as often and stops leading when the
/// check does not answer within <see cref="LeadershipOptions.RenewDeadline"/>. Needs a direct connection (a session
/// pooler such as PgBouncer in transaction mode would not keep the lock).
/// </summary>
public sealed class PostgresLeaderElector(string connectionString, LeadershipOptions options, ILogger<PostgresLeaderElector> logger) : ILeaderElector
{
    /// <summary>The advisory lock's key ("STUDIOLD").</summary>
    public const long LockKey = 0x53545544494F4C44;

    public string Identity { get; } = options.ResolveIdentity();

    public string Mechanism => "PostgreSQL advisory lock";

    /// <summary>The application name of the connection that holds the lock (<c>pg_stat_activity</c> shows who leads).</summary>
    public string ApplicationName => Truncate("studio-leader " + Identity, 63);

    public async Task RunAsync(Action started, Action stopped, CancellationToken cancellationToken)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString)
        {
            Pooling = false,
            ApplicationName = ApplicationName,
            KeepAlive = Math.Max(1, (int)options.RetryPeriod.TotalSeconds),
            Timeout = Math.Max(1, (int)options.RenewDeadline.TotalSeconds),
        };
        while (!cancellationToken.IsCancellationRequested)
        {
            var leading = false;
            try
            {
                await using var connection = new NpgsqlConnection(builder.ToString());
                await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
                while (!await ScalarAsync<bool>(connection, $"SELECT pg_try_advisory_lock({LockKey})", cancellationToken).ConfigureAwait(false))
                {
                    await Task.Delay(options.RetryPeriod, cancellationToken).ConfigureAwait(false);
                }

                leading = true;
                started();
                while (true)
                {
                    await Task.Delay(options.RetryPeriod, cancellationToken).ConfigureAwait(false);
                    // Still connected, so still holding the lock; the lock itself ends with the connection.
                    await ScalarAsync<int>(connection, "SELECT 1", cancellationToken).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // Disposing the connection above closed it: the lock is released and another replica takes over at once.
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException or OperationCanceledException or InvalidOperationException or IOException)
            {
                logger.LogWarning("The leader lock's database connection failed ({Problem}); trying again in {Retry}", e.Message, options.RetryPeriod);
            }
            finally
            {
                if (leading)
                {
                    stopped();
                }
            }

            if (!cancellationToken.IsCancellationRequested)
            {
                try
                {
                    await Task.Delay(options.RetryPeriod, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                }
            }
        }
    }

    private async Task<T> ScalarAsync<T>(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(options.RenewDeadline);
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync(deadline.Token).ConfigureAwait(false))!;
    }

    private static string Truncate(string text, int max) => text.Length <= max ? text : text[..max];
}
