using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Studio.Sandbox.Api;

namespace Studio.Sandbox.Bench;

/// <summary>
/// Sandbox benchmark: memory for 150,000 pods + 5,000 nodes, paged list throughput over HTTP, and watch fan-out latency
/// to 500 concurrent watchers. Usage: <c>dotnet run -c Release --project bench/Studio.Sandbox.Bench [-- --pods N --nodes N --watchers N --kubectl]</c>.
/// </summary>
internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        var pods = Arg(args, "--pods", 150_000);
        var nodes = Arg(args, "--nodes", 5_000);
        var watchers = Arg(args, "--watchers", 500);
        var changes = Arg(args, "--changes", 40);
        var runKubectl = args.Contains("--kubectl");
        if (args.Contains("--micro"))
        {
            SimulationBench.Micro();
            return 0;
        }

        if (args.Contains("--simulation"))
        {
            return await SimulationBench.RunAsync(nodes, pods, Arg(args, "--speed", 20), !args.Contains("--no-events"), Arg(args, "--churn-seconds", 20), args.Contains("--preload"));
        }

        Console.WriteLine($"Sandbox benchmark: {pods:N0} pods, {nodes:N0} nodes, {watchers} watchers, {Environment.ProcessorCount} cores, server GC={System.Runtime.GCSettings.IsServerGC}");
        await using var server = await SandboxServer.StartAsync(new SandboxOptions { SeedNodes = false, Simulate = false });
        var cluster = server.Cluster;
        var baseline = WorkingSet();

        var load = Stopwatch.StartNew();
        var nodeType = cluster.Type("", "v1", "nodes");
        foreach (var node in Topology.ClusterTopology.Nodes([new("bench", nodes, "Standard_D8s_v5", "8", "32Gi")]))
        {
            cluster.Service.Create(nodeType, null, node, RequestOptions.Default);
        }

        var nsType = cluster.Type("", "v1", "namespaces");
        var podType = cluster.Type("", "v1", "pods");
        var podRef = new Storage.ResourceRef("", "pods");
        const int PerNamespace = 5_000;
        for (var i = 0; i < pods; i++)
        {
            var ns = $"bench-{i / PerNamespace:D3}";
            if (i % PerNamespace == 0)
            {
                cluster.Service.Create(nsType, null, new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Namespace", ["metadata"] = new JsonObject { ["name"] = ns } }, RequestOptions.Default);
            }

            // Pods go straight into the store (as a restore or a controller would write them): the full API path
            // (defaulting, validation, managedFields) is measured separately below and would only slow the setup down.
            var pod = Pod(i, nodes);
            var meta = (JsonObject)pod["metadata"]!;
            meta["namespace"] = ns;
            meta["uid"] = Guid.NewGuid().ToString();
            meta["creationTimestamp"] = "2026-01-01T00:00:00Z";
            cluster.Store.Put(podRef, pod, null);
        }

        load.Stop();
        var api = Stopwatch.StartNew();
        const int ApiPods = 2_000;
        for (var i = 0; i < ApiPods; i++)
        {
            cluster.Service.Create(podType, "default", Pod(pods + i, nodes), RequestOptions.Default);
        }

        api.Stop();
        var statusPatch = Stopwatch.StartNew();
        var statusOptions = new RequestOptions { Subresource = "status" };
        for (var i = 0; i < ApiPods; i++)
        {
            var name = (string)Pod(pods + i, nodes)["metadata"]!["name"]!;
            cluster.Service.Patch(podType, "default", name, "application/merge-patch+json", """{"status":{"phase":"Succeeded"}}""", statusOptions);
        }

        statusPatch.Stop();
        var trusted = Stopwatch.StartNew();
        var trustedStatus = new RequestOptions { Subresource = "status", Trusted = true };
        for (var i = 0; i < ApiPods; i++)
        {
            var name = (string)Pod(pods + i, nodes)["metadata"]!["name"]!;
            cluster.Service.Patch(podType, "default", name, "application/merge-patch+json", """{"status":{"phase":"Failed"}}""", trustedStatus);
        }

        trusted.Stop();
        var heap = GC.GetTotalMemory(forceFullCollection: true);
        GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        var afterLoad = WorkingSet();
        Console.WriteLine($"load: {nodes:N0} nodes through the API service + {pods:N0} pods into the store in {load.Elapsed.TotalSeconds:F1} s; " +
            $"full API create path (defaults, validation, managedFields): {ApiPods / api.Elapsed.TotalSeconds:N0} pods/s, status merge patch: {ApiPods / statusPatch.Elapsed.TotalSeconds:N0} patches/s " +
            $"({ApiPods / trusted.Elapsed.TotalSeconds:N0}/s for trusted in-process controllers)");
        Console.WriteLine($"memory: managed heap {Mib(heap)} MiB, process working set {Mib(afterLoad)} MiB (baseline before load {Mib(baseline)} MiB; budget 1536 MiB)");

        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = int.MaxValue }) { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromMinutes(5) };
        double best = 0;
        for (var run = 1; run <= 3; run++)
        {
            var (count, seconds) = await ListAllAsync(http);
            best = Math.Max(best, count / seconds);
            Console.WriteLine($"list run {run}: {count:N0} pods, limit=500 paging, parsed client-side, {seconds:F2} s = {count / seconds:N0} objects/s");
        }

        Console.WriteLine($"list best: {best:N0} objects/s (target >= 50,000); working set now {Mib(WorkingSet())} MiB");

        await FanOutAsync(server, http, watchers, changes);

        if (runKubectl && File.Exists("/usr/bin/kubectl"))
        {
            await KubectlRatioAsync(server, http);
        }

        Console.WriteLine($"peak working set: {Mib(Process.GetCurrentProcess().PeakWorkingSet64)} MiB");
        return 0;
    }

    private static int Arg(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
    }

    private static long WorkingSet()
    {
        using var p = Process.GetCurrentProcess();
        p.Refresh();
        return p.WorkingSet64;
    }

    private static string Mib(long bytes) => (bytes / 1024.0 / 1024.0).ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>A realistic scheduled, running pod owned by a ReplicaSet (about 1.6 KB of JSON).</summary>
    private static JsonObject Pod(int i, int nodes)
    {
        var app = $"app-{i % 300:D3}";
        var hash = (i % 300 * 7919).ToString("x6", CultureInfo.InvariantCulture);
        return new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Pod",
            ["metadata"] = new JsonObject
            {
                ["name"] = $"{app}-{hash}-{i:D6}",
                ["labels"] = new JsonObject { ["app"] = app, ["pod-template-hash"] = hash, ["tier"] = i % 2 == 0 ? "web" : "worker" },
                ["ownerReferences"] = new JsonArray(new JsonObject
                {
                    ["apiVersion"] = "apps/v1",
                    ["kind"] = "ReplicaSet",
                    ["name"] = $"{app}-{hash}",
                    ["uid"] = $"00000000-0000-0000-0000-{i % 300:D12}",
                    ["controller"] = true,
                    ["blockOwnerDeletion"] = true,
                }),
            },
            ["spec"] = new JsonObject
            {
                ["nodeName"] = $"node-{i % nodes}",
                ["containers"] = new JsonArray(new JsonObject
                {
                    ["name"] = "main",
                    ["image"] = $"registry.example.com/{app}:1.0.{i % 10}",
                    ["ports"] = new JsonArray(new JsonObject { ["containerPort"] = 8080, ["name"] = "http" }),
                    ["resources"] = new JsonObject
                    {
                        ["requests"] = new JsonObject { ["cpu"] = "100m", ["memory"] = "128Mi" },
                        ["limits"] = new JsonObject { ["cpu"] = "500m", ["memory"] = "256Mi" },
                    },
                    ["env"] = new JsonArray(new JsonObject { ["name"] = "MODE", ["value"] = "production" }),
                }),
            },
            ["status"] = new JsonObject
            {
                ["phase"] = "Running",
                ["podIP"] = $"10.{(i >> 16) & 255}.{(i >> 8) & 255}.{i & 255}",
                ["hostIP"] = $"10.224.{(i % nodes) >> 8}.{(i % nodes) & 255}",
                ["startTime"] = "2026-01-01T00:00:00Z",
                ["conditions"] = new JsonArray(
                    new JsonObject { ["type"] = "Ready", ["status"] = "True", ["lastTransitionTime"] = "2026-01-01T00:00:05Z" },
                    new JsonObject { ["type"] = "PodScheduled", ["status"] = "True", ["lastTransitionTime"] = "2026-01-01T00:00:00Z" }),
                ["containerStatuses"] = new JsonArray(new JsonObject
                {
                    ["name"] = "main",
                    ["ready"] = true,
                    ["restartCount"] = 0,
                    ["image"] = $"registry.example.com/{app}:1.0.{i % 10}",
                    ["imageID"] = "sha256:" + new string('a', 64),
                    ["containerID"] = "containerd://" + new string('b', 64),
                    ["started"] = true,
                    ["state"] = new JsonObject { ["running"] = new JsonObject { ["startedAt"] = "2026-01-01T00:00:04Z" } },
                }),
            },
        };
    }

    private static async Task<(int Count, double Seconds)> ListAllAsync(HttpClient http)
    {
        var sw = Stopwatch.StartNew();
        var count = 0;
        string? token = null;
        do
        {
            var url = "/api/v1/pods?limit=500" + (token is null ? "" : "&continue=" + Uri.EscapeDataString(token));
            await using var stream = await http.GetStreamAsync(url);
            using var doc = await JsonDocument.ParseAsync(stream);
            count += doc.RootElement.GetProperty("items").GetArrayLength();
            token = doc.RootElement.GetProperty("metadata").TryGetProperty("continue", out var c) ? c.GetString() : null;
        }
        while (!string.IsNullOrEmpty(token));

        return (count, sw.Elapsed.TotalSeconds);
    }

    private static async Task FanOutAsync(SandboxServer server, HttpClient http, int watchers, int changes)
    {
        var cluster = server.Cluster;
        var cmType = cluster.Type("", "v1", "configmaps");
        cluster.Service.Create(cluster.Type("", "v1", "namespaces"), null, new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Namespace", ["metadata"] = new JsonObject { ["name"] = "fanout" } }, RequestOptions.Default);
        cluster.Service.Create(cmType, "fanout", new JsonObject { ["apiVersion"] = "v1", ["kind"] = "ConfigMap", ["metadata"] = new JsonObject { ["name"] = "target" }, ["data"] = new JsonObject { ["seq"] = "-1" } }, RequestOptions.Default);
        var rv = cluster.Store.ResourceVersion.ToString(CultureInfo.InvariantCulture);

        var sent = new long[changes];
        var received = new long[watchers, changes];
        using var stop = new CancellationTokenSource();
        var ready = new CountdownEvent(watchers);
        var tasks = new Task[watchers];
        for (var w = 0; w < watchers; w++)
        {
            var index = w;
            tasks[w] = Task.Run(async () =>
            {
                using var response = await http.GetAsync($"/api/v1/namespaces/fanout/configmaps?watch=true&resourceVersion={rv}", HttpCompletionOption.ResponseHeadersRead, stop.Token);
                await using var stream = await response.Content.ReadAsStreamAsync(stop.Token);
                using var reader = new StreamReader(stream, Encoding.UTF8);
                ready.Signal();
                var got = 0;
                while (got < changes)
                {
                    var line = await reader.ReadLineAsync(stop.Token);
                    if (line is null)
                    {
                        break;
                    }

                    var now = Stopwatch.GetTimestamp();
                    var at = line.IndexOf("\"seq\":\"", StringComparison.Ordinal);
                    var seq = int.Parse(line.AsSpan(at + 7, line.IndexOf('"', at + 7) - at - 7), CultureInfo.InvariantCulture);
                    received[index, seq] = now;
                    got++;
                }
            });
        }

        ready.Wait(TimeSpan.FromMinutes(2));
        // The server registers a watcher before answering headers; give the last ones a moment to reach their read loop.
        await Task.Delay(500);
        for (var seq = 0; seq < changes; seq++)
        {
            sent[seq] = Stopwatch.GetTimestamp();
            cluster.Service.Patch(cmType, "fanout", "target", "application/merge-patch+json", "{\"data\":{\"seq\":\"" + seq.ToString(CultureInfo.InvariantCulture) + "\"}}", RequestOptions.Default);
            await Task.Delay(25);
        }

        var all = Task.WhenAll(tasks);
        await Task.WhenAny(all, Task.Delay(TimeSpan.FromSeconds(30)));
        await stop.CancelAsync();

        var latencies = new List<double>();
        var missing = 0;
        var lastPerChange = new List<double>();
        for (var seq = 0; seq < changes; seq++)
        {
            double worst = 0;
            for (var w = 0; w < watchers; w++)
            {
                if (received[w, seq] == 0)
                {
                    missing++;
                    continue;
                }

                var ms = Stopwatch.GetElapsedTime(sent[seq], received[w, seq]).TotalMilliseconds;
                latencies.Add(ms);
                worst = Math.Max(worst, ms);
            }

            lastPerChange.Add(worst);
        }

        latencies.Sort();
        lastPerChange.Sort();
        static double P(List<double> l, double p) => l.Count == 0 ? double.NaN : l[Math.Min(l.Count - 1, (int)Math.Ceiling(p * l.Count) - 1)];
        Console.WriteLine($"watch fan-out: {changes} changes x {watchers} HTTP watchers = {latencies.Count:N0} deliveries ({missing} missing)");
        Console.WriteLine($"  per delivery latency (commit -> line read by client): p50 {P(latencies, 0.50):F2} ms, p99 {P(latencies, 0.99):F2} ms, max {latencies.LastOrDefault():F2} ms");
        Console.WriteLine($"  time until the last of {watchers} watchers has a change: p50 {P(lastPerChange, 0.50):F2} ms, p99 {P(lastPerChange, 0.99):F2} ms (target p99 <= 50 ms)");
        try
        {
            await all;
        }
        catch (OperationCanceledException)
        {
            // Stopped the watchers.
        }
        catch (HttpRequestException)
        {
            // Stopped the watchers.
        }
    }

    private static async Task KubectlRatioAsync(SandboxServer server, HttpClient http)
    {
        var dir = Path.Combine(Path.GetTempPath(), "sandbox-bench-" + Guid.NewGuid().ToString("N")[..6]);
        Directory.CreateDirectory(dir);
        var kubeconfig = Path.Combine(dir, "kubeconfig");
        await File.WriteAllTextAsync(kubeconfig, server.CreateKubeconfigYaml());
        var psi = new ProcessStartInfo("/usr/bin/kubectl", ["--kubeconfig", kubeconfig, "--cache-dir", Path.Combine(dir, "cache"), "get", "pods", "-A", "-o", "json"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        var sw = Stopwatch.StartNew();
        using var p = Process.Start(psi)!;
        var drain = p.StandardOutput.BaseStream.CopyToAsync(Stream.Null);
        var err = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        await drain;
        sw.Stop();
        var (count, seconds) = await ListAllAsync(http);
        Console.WriteLine($"kubectl get pods -A -o json: {sw.Elapsed.TotalSeconds:F2} s (exit {p.ExitCode}{(p.ExitCode == 0 ? "" : ": " + (await err).Trim())}); " +
            $"C# paged list of the same {count:N0} pods: {seconds:F2} s; ratio kubectl/C# = {sw.Elapsed.TotalSeconds / seconds:F1}x");
        Directory.Delete(dir, recursive: true);
    }
}
