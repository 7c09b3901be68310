using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Studio.Domain.Workspaces;
using Studio.Infrastructure.Clusters;
using Studio.Infrastructure.Kubernetes.Inventory;
using Studio.Infrastructure.Persistence;
using Studio.Sandbox;
using Studio.Sandbox.Api;

namespace Studio.Inventory.Bench;

/// <summary>
/// The studio's shared informers against a sandbox with 5,000 nodes and 150,000 pods, side by side with a raw paged
/// LIST of the same objects: initial sync time (ratio), memory of the projections, change-to-projection latency
/// under 100 changes/s, and the per-render work of the cluster page.
/// Usage: <c>dotnet run -c Release --project bench/Studio.Inventory.Bench [-- --nodes N --pods N --rate N --seconds N]</c>.
/// </summary>
internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        var nodeCount = Arg(args, "--nodes", 5_000);
        var podCount = Arg(args, "--pods", 150_000);
        var rate = Arg(args, "--rate", 100);
        var seconds = Arg(args, "--seconds", 10);
        Console.WriteLine($"Inventory benchmark: {nodeCount:N0} nodes, {podCount:N0} pods, {Environment.ProcessorCount} cores");

        await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions { SeedNodes = false });
        var cluster = sandbox.Cluster;
        var nodeType = cluster.Type("", "v1", "nodes");
        var names = new List<string>();
        foreach (var node in Studio.Sandbox.Topology.ClusterTopology.Nodes([new("bench", nodeCount, "Standard_NC24ads_A100_v4", "24", "220Gi", 4, "NVIDIA-A100")]))
        {
            cluster.Service.Create(nodeType, null, node, RequestOptions.Default);
            names.Add((string)node["metadata"]!["name"]!);
        }

        var podRef = new Studio.Sandbox.Storage.ResourceRef("", "pods");
        var nsType = cluster.Type("", "v1", "namespaces");
        for (var i = 0; i < podCount; i++)
        {
            var ns = $"team-{i / 5_000:D3}";
            if (i % 5_000 == 0)
            {
                cluster.Service.Create(nsType, null, new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Namespace", ["metadata"] = new JsonObject { ["name"] = ns } }, RequestOptions.Default);
            }

            cluster.Store.Put(podRef, Pod(i, ns, names[i % names.Count]), null);
        }

        var kubeconfig = sandbox.CreateKubeconfigYaml();
        using var raw = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(new MemoryStream(Encoding.UTF8.GetBytes(kubeconfig))));

        // Baseline: what any client pays to read the same objects — a raw paged LIST (limit 500) of nodes and pods.
        await RawListAsync(raw); // warm-up (JIT, connections)
        var rawTimes = new List<double>();
        for (var i = 0; i < 3; i++)
        {
            var sw = Stopwatch.StartNew();
            await RawListAsync(raw);
            rawTimes.Add(sw.Elapsed.TotalSeconds);
        }

        var services = new ServiceCollection().AddLogging();
        services.AddStudioPersistence(new DatabaseOptions { Provider = DatabaseProvider.Sqlite }, Path.Combine(Path.GetTempPath(), "studio-bench-" + Guid.NewGuid().ToString("N")[..8]));
        services.AddStudioKubernetes(new ConfigurationBuilder().Build());
        await using var provider = services.BuildServiceProvider();
        await provider.GetRequiredService<DatabaseMigrator>().MigrateAsync(CancellationToken.None);
        var registered = await provider.GetRequiredService<ClusterService>().RegisterAsync(
            new Actor("bench", "Bench", WorkspaceRole.Administrator), new RegisterClusterRequest("bench", null, kubeconfig, null, SkipConnectionCheck: true), CancellationToken.None);
        var registry = provider.GetRequiredService<InventoryRegistry>();

        var syncTimes = new List<double>();
        long projectionBytes = 0;
        InventoryLease? lease = null;
        for (var i = 0; i < 3; i++)
        {
            lease?.Dispose();
            await registry.ResetAsync(registered.Value.Id);
            Collect();
            var before = GC.GetTotalMemory(true);
            var sw = Stopwatch.StartNew();
            lease = (await registry.AcquireAsync(registered.Value.Id, CancellationToken.None)).Value;
            await lease.Inventory.FirstSync;
            syncTimes.Add(sw.Elapsed.TotalSeconds);
            Collect();
            projectionBytes = GC.GetTotalMemory(true) - before;
        }

        var inventory = lease!.Inventory;
        Console.WriteLine($"initial sync: raw paged LIST {Median(rawTimes):0.00} s, studio informers {Median(syncTimes):0.00} s → ratio {Median(syncTimes) / Median(rawTimes):0.00}× (target ≤ 1.5×); raw LIST restarts after 410: {_rawListRestarts}");
        Console.WriteLine($"projections in memory: {projectionBytes / 1024.0 / 1024.0:0} MB managed for {inventory.Nodes.Count:N0} nodes + {inventory.Pods.Count:N0} pods (target ≤ 300 MB)");

        // Page work per render batch at this size.
        var pageTimes = new List<double>();
        for (var i = 0; i < 10; i++)
        {
            var sw = Stopwatch.StartNew();
            _ = ClusterSnapshot.From(inventory);
            _ = new NodeQuery(Take: 50).Run(inventory);
            pageTimes.Add(sw.Elapsed.TotalMilliseconds);
        }

        Console.WriteLine($"cluster page work per batch (snapshot + first nodes page): median {Median(pageTimes):0} ms, max {pageTimes.Max():0} ms (target first render ≤ 1 s)");

        // Steady state: `rate` pod status changes per second through the API; latency until the projection shows each one.
        var seen = new Dictionary<string, long>();
        var latencies = new List<double>();
        inventory.Changed += () =>
        {
            lock (seen)
            {
                foreach (var key in seen.Keys.ToList())
                {
                    if (inventory.Pods.TryGet(key, out var pod) && pod!.Phase == "Succeeded")
                    {
                        latencies.Add(Stopwatch.GetElapsedTime(seen[key]).TotalMilliseconds);
                        seen.Remove(key);
                    }
                }
            }
        };
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var wall = Stopwatch.StartNew();
        var total = rate * seconds;
        for (var i = 0; i < total; i++)
        {
            var ns = $"team-{i / 5_000:D3}";
            var name = $"trainer-{i:D6}";
            lock (seen)
            {
                seen[$"{ns}/{name}"] = Stopwatch.GetTimestamp();
            }

            await raw.CoreV1.PatchNamespacedPodStatusAsync(new V1Patch("""{"status":{"phase":"Succeeded"}}""", V1Patch.PatchType.MergePatch), name, ns);
            var due = TimeSpan.FromSeconds((i + 1) / (double)rate) - wall.Elapsed;
            if (due > TimeSpan.Zero)
            {
                await Task.Delay(due);
            }
        }

        await Task.Delay(1000);
        var cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds / wall.Elapsed.TotalSeconds;
        latencies.Sort();
        Console.WriteLine($"steady state: {total} changes at {rate}/s, projection latency p50 {Pct(latencies, 0.5):0.0} ms, p99 {Pct(latencies, 0.99):0.0} ms, missed {seen.Count}; process CPU {cpu:0.00} cores (sandbox + studio in one process)");
        lease.Dispose();
        return 0;
    }

    /// <summary>How many times a raw paged LIST started over because its continue token expired (410).</summary>
    private static int _rawListRestarts;

    private static async Task RawListAsync(Kubernetes client)
    {
        await PagedListAsync(next => client.CoreV1.ListNodeAsync(limit: 500, continueParameter: next), l => (l.Items.Count, l.Metadata.ContinueProperty));
        await PagedListAsync(next => client.CoreV1.ListPodForAllNamespacesAsync(limit: 500, continueParameter: next), l => (l.Items.Count, l.Metadata.ContinueProperty));
    }

    /// <summary>Pages through a LIST; a 410 Expired on a continued page starts over from the first page, as client-go's pager does.</summary>
    private static async Task<int> PagedListAsync<TList>(Func<string?, Task<TList>> page, Func<TList, (int Count, string? Continue)> read)
    {
        string? next = null;
        var count = 0;
        while (true)
        {
            TList list;
            try
            {
                list = await page(next);
            }
            catch (k8s.Autorest.HttpOperationException e) when (next is not null && e.Response.StatusCode == System.Net.HttpStatusCode.Gone)
            {
                Interlocked.Increment(ref _rawListRestarts);
                (next, count) = (null, 0);
                continue;
            }

            var (n, token) = read(list);
            count += n;
            if (string.IsNullOrEmpty(token))
            {
                return count;
            }

            next = token;
        }
    }

    private static JsonObject Pod(int i, string ns, string node) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "Pod",
        ["metadata"] = new JsonObject
        {
            ["name"] = $"trainer-{i:D6}",
            ["namespace"] = ns,
            ["uid"] = Guid.NewGuid().ToString(),
            ["creationTimestamp"] = "2026-01-01T00:00:00Z",
            ["labels"] = new JsonObject { ["app"] = $"job-{i % 500}" },
        },
        ["spec"] = new JsonObject
        {
            ["nodeName"] = node,
            ["containers"] = new JsonArray(new JsonObject
            {
                ["name"] = "main",
                ["image"] = "pytorch/pytorch:2.4",
                ["resources"] = new JsonObject
                {
                    ["requests"] = new JsonObject { ["cpu"] = "500m", ["memory"] = "2Gi" },
                    ["limits"] = new JsonObject { ["nvidia.com/gpu"] = i % 10 == 0 ? "1" : "0" },
                },
            }),
        },
        ["status"] = new JsonObject { ["phase"] = "Running" },
    };

    private static void Collect()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);

    private static double Pct(List<double> sorted, double p) => sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)(p * sorted.Count))];

    private static int Arg(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
    }
}
