using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Serialization;
using k8s;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Studio.Infrastructure.Tests.Persistence;
using Studio.Web.Hubs;
using Studio.Web.Tests.Shared;

namespace Studio.Web.Tests.Hosting;

/// <summary>
/// Production shape on this machine: three studio processes on one PostgreSQL and one Redis, one sandbox cluster. One
/// replica leads (job tracker, history sampler); <c>kill -9</c> of the leader mid-run hands the lead to another within 15 s.
/// </summary>
public sealed class ReplicaFailoverTests(PostgresServer postgres, RedisServer redis) : IClassFixture<PostgresServer>, IClassFixture<RedisServer>
{
    private const int Jobs = 200;
    private const string Image = "mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu22.04:20240101";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ThreeReplicas_LeaderKilledMidRun_EveryJobEndsAsInTheCluster_WithEachStateOnce_AndANonLeadersHubClientSeesEveryEnd()
    {
        await using var cluster = await ReplicaCluster.StartAsync(postgres, redis, 3, Ct);
        var leader = await cluster.WaitForLeaderAsync(null, TimeSpan.FromSeconds(30), Ct);
        var watcher = cluster.Replicas.First(r => r != leader);
        var seen = new ConcurrentDictionary<string, string>();
        await using var hub = new HubConnectionBuilder()
            .WithUrl(new Uri(watcher.BaseAddress, "hubs/live"))
            .AddJsonProtocol(o => o.PayloadSerializerOptions.Converters.Add(new JsonStringEnumConverter()))
            .Build();
        hub.On<LiveUpdate>("Update", update =>
        {
            foreach (var change in update.Changes)
            {
                if (change.Value?.Job is { } job)
                {
                    seen[job.Name] = job.State;
                }
            }
        });
        await hub.StartAsync(Ct);
        await hub.InvokeAsync("Subscribe", "workspace:default", Ct);

        var names = new ConcurrentDictionary<int, string>();
        await SubmitAsync(cluster, 0, Jobs / 2, names);
        await Task.Delay(TimeSpan.FromSeconds(2), Ct); // some jobs queued, some running, some done
        var clock = Stopwatch.StartNew();
        leader.Kill();
        var successor = await cluster.WaitForLeaderAsync(leader, TimeSpan.FromSeconds(30), Ct);
        var takeover = clock.Elapsed;
        await SubmitAsync(cluster, Jobs / 2, Jobs, names);

        var records = await WaitAllEndedAsync(cluster, TimeSpan.FromMinutes(4));
        TestContext.Current.TestOutputHelper?.WriteLine($"The lead moved {takeover.TotalSeconds:0.00} s after kill -9; {records.Count} jobs ended: {string.Join(", ", records.Values.GroupBy(r => r.State).Select(g => $"{g.Count()} {g.Key}"))}");
        foreach (var replica in cluster.Alive)
        {
            var (memory, cpu) = replica.Usage();
            TestContext.Current.TestOutputHelper?.WriteLine($"replica {replica.ProcessId}{(replica == successor ? " (leads)" : string.Empty)}: {memory / (1024 * 1024)} MiB resident, {cpu.TotalSeconds:0.0} s CPU");
        }

        Assert.True(takeover < TimeSpan.FromSeconds(15), $"The lead moved after {takeover.TotalSeconds:0.0} s");
        Assert.Contains("leads now", successor.Output, StringComparison.Ordinal);
        Assert.Equal(Jobs, records.Count);
        Assert.Equal(names.Values.Order(), records.Keys.Order());

        // The cluster: one Kubernetes Job per record, ended as the record says.
        var kubeJobs = (await cluster.Kubernetes.BatchV1.ListNamespacedJobAsync(ReplicaCluster.Namespace, cancellationToken: Ct)).Items;
        Assert.Equal(Jobs, kubeJobs.Count);
        Assert.Equal(kubeJobs.Count, kubeJobs.Select(j => j.Metadata.Name).Distinct().Count());
        var byName = kubeJobs.ToDictionary(j => j.Metadata.Name);
        var mismatches = records.Values
            .Where(r => !byName.TryGetValue(r.KubernetesName, out var job) || ClusterState(job) != r.State)
            .Select(r => $"{r.Name}: record {r.State}, cluster {(byName.TryGetValue(r.KubernetesName, out var job) ? ClusterState(job) : "missing")}")
            .ToList();
        Assert.True(mismatches.Count == 0, string.Join("; ", mismatches));

        // Each state once in every job's timeline (no replica wrote a change twice).
        var repeated = await cluster.QueryAsync("SELECT \"JobId\", \"State\", count(*) FROM job_transitions GROUP BY \"JobId\", \"State\" HAVING count(*) > 1", Ct);
        Assert.True(repeated.Count == 0, string.Join("; ", repeated.Select(r => $"{r[0]} {r[1]} ×{r[2]}")));

        // The hub client on a replica that never led saw every job's end.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline && records.Values.Any(r => seen.GetValueOrDefault(r.Name) != r.State))
        {
            await Task.Delay(200, Ct);
        }

        var missed = records.Values.Where(r => seen.GetValueOrDefault(r.Name) != r.State).Select(r => $"{r.Name}: {r.State}, hub {seen.GetValueOrDefault(r.Name) ?? "nothing"}").ToList();
        Assert.True(missed.Count == 0, $"{missed.Count} ends not seen: {string.Join("; ", missed.Take(20))}");
    }

    [Fact]
    public async Task LeaderStoppedBySigterm_ExitsCleanly_ReleasingTheLeadSoAnotherLeadsAtOnce()
    {
        await using var cluster = await ReplicaCluster.StartAsync(postgres, redis, 2, Ct);
        var leader = await cluster.WaitForLeaderAsync(null, TimeSpan.FromSeconds(30), Ct);

        var clock = Stopwatch.StartNew();
        leader.Terminate();
        var successor = await cluster.WaitForLeaderAsync(leader, TimeSpan.FromSeconds(15), Ct);
        var takeover = clock.Elapsed;
        var exit = await leader.WaitForExitAsync(TimeSpan.FromSeconds(30), Ct);

        Assert.Equal(0, exit);
        Assert.Contains("no longer leads", leader.Output, StringComparison.Ordinal);
        Assert.Contains("leads now", successor.Output, StringComparison.Ordinal);
        Assert.True(takeover < TimeSpan.FromSeconds(5), $"the lead moved after {takeover.TotalSeconds:0.0} s");
    }

    private sealed record JobRow(string Name, string State, string KubernetesName);

    [Fact]
    public async Task ReplicaStoppedBySigterm_ClosesItsLiveConnectionsAtOnce_AndAClientReconnectingElsewhereGetsASnapshotThenLiveChanges()
    {
        await using var cluster = await ReplicaCluster.StartAsync(postgres, redis, 2, Ct);
        var (stopping, staying) = (cluster.Replicas[0], cluster.Replicas[1]);
        await using var first = LiveClient(stopping);
        var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        first.Closed += _ =>
        {
            closed.TrySetResult();
            return Task.CompletedTask;
        };
        await first.StartAsync(Ct);
        await first.InvokeAsync("Subscribe", "workspace:default", Ct);

        var clock = Stopwatch.StartNew();
        stopping.Terminate();
        await closed.Task.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        var closedAfter = clock.Elapsed;

        // What a browser does next: it connects again (the load balancer sends it to a replica that still runs) and
        // subscribes again: first a snapshot, then every change.
        var updates = System.Threading.Channels.Channel.CreateUnbounded<LiveUpdate>();
        await using var second = LiveClient(staying);
        second.On<LiveUpdate>("Update", update => updates.Writer.TryWrite(update));
        await second.StartAsync(Ct);
        await second.InvokeAsync("Subscribe", "workspace:default", Ct);
        Assert.True((await updates.Reader.ReadAsync(Ct).AsTask().WaitAsync(TimeSpan.FromSeconds(30), Ct)).IsSnapshot);
        var names = new ConcurrentDictionary<int, string>();
        await SubmitAsync(cluster, 0, 1, names);
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        wait.CancelAfter(TimeSpan.FromSeconds(60));
        while (!(await updates.Reader.ReadAsync(wait.Token)).Changes.Any(c => c.Value?.Job?.Name == names[0]))
        {
        }

        Assert.Equal(0, await stopping.WaitForExitAsync(TimeSpan.FromSeconds(30), Ct));
        Assert.True(closedAfter < TimeSpan.FromSeconds(5), $"the stopping replica closed its live connections after {closedAfter.TotalSeconds:0.0} s");
        TestContext.Current.TestOutputHelper?.WriteLine($"Live connections closed {closedAfter.TotalMilliseconds:0} ms after SIGTERM");
    }

    private static HubConnection LiveClient(StudioProcess replica) => new HubConnectionBuilder()
        .WithUrl(new Uri(replica.BaseAddress, "hubs/live"))
        .AddJsonProtocol(o => o.PayloadSerializerOptions.Converters.Add(new JsonStringEnumConverter()))
        .Build();

    /// <summary>Submits jobs <paramref name="from"/>..<paramref name="to"/> round-robin over the live replicas, 8 at a time; one in ten fails (exit 3).</summary>
    private static async Task SubmitAsync(ReplicaCluster cluster, int from, int to, ConcurrentDictionary<int, string> names)
    {
        var replicas = cluster.Alive.ToList();
        var clients = replicas.Select(r => r.CreateClient()).ToList();
        try
        {
            await Parallel.ForEachAsync(Enumerable.Range(from, to - from), new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = Ct }, async (i, ct) =>
            {
                var command = i % 10 == 9 ? $"sleep {20 + (i % 20)}; exit 3" : $"sleep {20 + (i % 20)}";
                using var request = new HttpRequestMessage(HttpMethod.Post, "api/workspaces/default/jobs")
                {
                    Content = JsonContent.Create(new { compute = ReplicaCluster.Compute, command, image = Image, name = $"failover-{i}" }),
                };
                request.Headers.Add("Idempotency-Key", $"failover-{i}");
                using var response = await clients[i % clients.Count].SendAsync(request, ct);
                var body = await response.Content.ReadAsStringAsync(ct);
                Assert.True(response.IsSuccessStatusCode, $"Submitting job {i} answered {(int)response.StatusCode}: {body}");
                names[i] = $"failover-{i}";
            });
        }
        finally
        {
            foreach (var client in clients)
            {
                client.Dispose();
            }
        }
    }

    private static async Task<Dictionary<string, JobRow>> WaitAllEndedAsync(ReplicaCluster cluster, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var rows = (await cluster.QueryAsync("SELECT \"Name\", \"State\", \"KubernetesName\" FROM jobs", Ct))
                .Select(r => new JobRow((string)r[0], (string)r[1], r[2] as string ?? (string)r[0]))
                .ToDictionary(r => r.Name);
            var open = rows.Values.Where(r => r.State is not ("Completed" or "Failed" or "Canceled")).ToList();
            if (rows.Count >= Jobs && open.Count == 0)
            {
                return rows;
            }

            Assert.True(
                DateTime.UtcNow < deadline,
                $"{open.Count} of {rows.Count} jobs have not ended ({string.Join(", ", open.Take(10).Select(r => $"{r.Name} {r.State}"))}):{Environment.NewLine}{string.Join(Environment.NewLine + "----" + Environment.NewLine, cluster.Alive.Select(r => r.Output))}");
            await Task.Delay(500, Ct);
        }
    }

    private static string ClusterState(k8s.Models.V1Job job)
    {
        var conditions = job.Status?.Conditions ?? [];
        return conditions.Any(c => c.Type is "Complete" or "SuccessCriteriaMet" && c.Status == "True") ? "Completed"
            : conditions.Any(c => c.Type is "Failed" or "FailureTarget" && c.Status == "True") ? "Failed"
            : "Running";
    }
}
