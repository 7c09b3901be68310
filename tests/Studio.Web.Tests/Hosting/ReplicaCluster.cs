using System.Net.Http.Json;
using System.Text;
using k8s;
using Npgsql;
using Studio.Infrastructure.Tests.Persistence;
using Studio.Sandbox;
using Studio.Web.Tests.Shared;

namespace Studio.Web.Tests.Hosting;

/// <summary>
/// Studio replicas as separate processes sharing one real PostgreSQL database and one real Redis, and one sandbox cluster
/// (registered as <see cref="Cluster"/>, extension installed, compute target <see cref="Compute"/> attached to the
/// <c>default</c> workspace). Knows which replica leads (the PostgreSQL advisory lock's holder).
/// </summary>
internal sealed class ReplicaCluster : IAsyncDisposable
{
    public const string Cluster = "shared";
    public const string Compute = "train";
    public const string Namespace = "replica-train";

    private readonly List<StudioProcess> _replicas = [];
    private readonly Dictionary<string, string?> _environment;

    private ReplicaCluster(SandboxServer sandbox, string connectionString, Dictionary<string, string?> environment)
    {
        Sandbox = sandbox;
        ConnectionString = connectionString;
        _environment = environment;
        Kubernetes = new k8s.Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(new MemoryStream(Encoding.UTF8.GetBytes(sandbox.CreateKubeconfigYaml(Cluster)))));
    }

    public SandboxServer Sandbox { get; }

    public string ConnectionString { get; }

    public k8s.Kubernetes Kubernetes { get; }

    public IReadOnlyList<StudioProcess> Replicas => _replicas;

    public IEnumerable<StudioProcess> Alive => _replicas.Where(r => !r.HasExited);

    /// <summary>Starts <paramref name="count"/> replicas (the first alone, so it creates the schema and the default workspace) and sets up the cluster through the first one's API.</summary>
    public static async Task<ReplicaCluster> StartAsync(PostgresServer postgres, RedisServer redis, int count, CancellationToken cancellationToken, double sandboxSpeed = 20)
    {
        var sandbox = await SandboxServer.StartAsync(new SandboxOptions { Port = 0, Speed = sandboxSpeed }, cancellationToken);
        var connectionString = new NpgsqlConnectionStringBuilder(await postgres.CreateDatabaseAsync()) { Pooling = true }.ToString();
        var environment = new Dictionary<string, string?>
        {
            ["Studio__Database__Provider"] = "PostgreSQL",
            ["Studio__Database__ConnectionString"] = connectionString,
            ["Studio__SignalR__Redis"] = redis.Configuration,
            ["Studio__Leadership__RetryPeriod"] = "00:00:01",
            ["Studio__Jobs__Tracker__ScanInterval"] = "00:00:02",
            ["Studio__Jobs__Tracker__MissingGrace"] = "00:00:05",
        };
        var cluster = new ReplicaCluster(sandbox, connectionString, environment);
        try
        {
            await cluster.AddReplicaAsync(cancellationToken);
            await Task.WhenAll(Enumerable.Range(1, count - 1).Select(_ => cluster.AddReplicaAsync(cancellationToken)));
            await cluster.SetUpAsync(cancellationToken);
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    public async Task<StudioProcess> AddReplicaAsync(CancellationToken cancellationToken)
    {
        var replica = await StudioProcess.StartAsync(_environment, cancellationToken);
        lock (_replicas)
        {
            _replicas.Add(replica);
        }

        return replica;
    }

    private async Task SetUpAsync(CancellationToken cancellationToken)
    {
        using var http = _replicas[0].CreateClient();
        await OkAsync(await http.PostAsJsonAsync("api/clusters", new { name = Cluster, kubeconfig = Sandbox.CreateKubeconfigYaml(Cluster) }, cancellationToken));
        await OkAsync(await http.PutAsJsonAsync($"api/clusters/{Cluster}/extension", new { }, cancellationToken));
        await OkAsync(await http.PostAsJsonAsync("api/workspaces/default/computes", new { name = Compute, cluster = Cluster, @namespace = Namespace, createNamespace = true }, cancellationToken));
    }

    /// <summary>The replica holding the leader lock now (null while none does).</summary>
    public async Task<StudioProcess?> LeaderAsync(CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(
            "SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid WHERE l.locktype = 'advisory' AND l.granted AND a.application_name LIKE 'studio-leader %'",
            connection);
        var holder = (string?)await command.ExecuteScalarAsync(cancellationToken);
        if (holder is null)
        {
            return null;
        }

        var pid = int.Parse(holder[(holder.LastIndexOf('/') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
        return _replicas.SingleOrDefault(r => r.ProcessId == pid);
    }

    /// <summary>Waits until a replica other than <paramref name="not"/> leads; returns it.</summary>
    public async Task<StudioProcess> WaitForLeaderAsync(StudioProcess? not, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (await LeaderAsync(cancellationToken) is { } leader && leader != not && !leader.HasExited)
            {
                return leader;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"No replica took the lead within {timeout.TotalSeconds:0} s:{Environment.NewLine}{string.Join(Environment.NewLine + "----" + Environment.NewLine, Alive.Select(r => r.Output))}");
            }

            await Task.Delay(100, cancellationToken);
        }
    }

    /// <summary>Runs a query against the shared database and returns its rows (each a column array).</summary>
    public async Task<List<object[]>> QueryAsync(string sql, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<object[]>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var row = new object[reader.FieldCount];
            reader.GetValues(row);
            rows.Add(row);
        }

        return rows;
    }

    public static async Task OkAsync(HttpResponseMessage response)
    {
        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                Assert.Fail($"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var replica in _replicas)
        {
            await replica.DisposeAsync();
        }

        Kubernetes.Dispose();
        await Sandbox.DisposeAsync();
    }
}
