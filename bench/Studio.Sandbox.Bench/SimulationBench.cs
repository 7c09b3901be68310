using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Studio.Sandbox.Api;

namespace Studio.Sandbox.Bench;

/// <summary>
/// Simulation benchmark: nodes and pods created through the API service, scheduled and started by the simulation;
/// time to steady state (all pods Running), scheduling throughput, then CPU use under steady pod churn.
/// <c>dotnet run -c Release --project bench/Studio.Sandbox.Bench -- --simulation [--nodes 5000 --pods 150000 --speed 20 --no-events --churn-seconds 20]</c>
/// </summary>
internal static class SimulationBench
{
    public static async Task<int> RunAsync(int nodes, int pods, double speed, bool events, int churnSeconds, bool preload)
    {
        Console.WriteLine($"Simulation benchmark: {nodes:N0} nodes, {pods:N0} pods, speed {speed}, events {(events ? "on" : "off")}, {Environment.ProcessorCount} cores");
        await using var server = await SandboxServer.StartAsync(new SandboxOptions { SeedNodes = false, Speed = speed });
        var cluster = server.Cluster;
        var sim = cluster.Simulator!;
        sim.RecordEvents = events;
        var nodeType = cluster.Type("", "v1", "nodes");
        foreach (var node in Topology.ClusterTopology.Nodes([new("bench", nodes, "Standard_D8s_v5", "8", "32Gi")]))
        {
            cluster.Service.Create(nodeType, null, node, RequestOptions.Default);
        }

        long bound = 0, running = 0, changes = 0;
        var allBound = new TaskCompletionSource();
        var allRunning = new TaskCompletionSource();
        using var sub = cluster.Store.Subscribe("pods", null, null, initial: false);
        var counting = Task.Run(async () =>
        {
            try
            {
                await foreach (var e in sub.Events.ReadAllAsync())
                {
                    changes++;
                    if (e.Previous is { NodeName: null } && e.Object.NodeName is not null && ++bound == pods)
                    {
                        allBound.TrySetResult();
                    }

                    if (e.Object.Phase == "Running" && e.Previous?.Phase != "Running" && ++running == pods)
                    {
                        allRunning.TrySetResult();
                    }
                }
            }
            catch (Storage.SubscriberTooSlowException)
            {
                Console.WriteLine("bench subscription fell behind");
            }
        });

        var podType = cluster.Type("", "v1", "pods");
        var nsType = cluster.Type("", "v1", "namespaces");
        const int PerNamespace = 5_000;
        var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
        var wall = Stopwatch.StartNew();
        for (var i = 0; i < pods; i++)
        {
            if (i % PerNamespace == 0)
            {
                cluster.Service.Create(nsType, null, new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Namespace", ["metadata"] = new JsonObject { ["name"] = Ns(i) } }, RequestOptions.Default);
            }

            if (preload)
            {
                // As a restore or an external controller would write them: straight into the store (the generic create path
                // is part 1's cost, measured by the API bench); the simulation then schedules and starts every pod.
                var pod = Pod("p" + i.ToString(CultureInfo.InvariantCulture));
                var meta = (JsonObject)pod["metadata"]!;
                meta["namespace"] = Ns(i);
                meta["uid"] = Guid.NewGuid().ToString();
                meta["creationTimestamp"] = Simulation.Simulator.Timestamp();
                ((JsonObject)pod["spec"]!)["schedulerName"] = "default-scheduler";
                ((JsonObject)pod["spec"]!)["restartPolicy"] = "Always";
                cluster.Store.Put(PodRef, pod, null);
            }
            else
            {
                cluster.Service.Create(podType, Ns(i), Pod("p" + i.ToString(CultureInfo.InvariantCulture)), RequestOptions.Default);
            }
        }

        var created = wall.Elapsed.TotalSeconds;
        Console.WriteLine($"created {pods:N0} pods {(preload ? "straight into the store" : "through the API service")} in {created:F1} s ({pods / created:N0} pods/s)");
        var firstBound = await WaitAsync(allBound.Task, TimeSpan.FromMinutes(5));
        var boundAt = wall.Elapsed.TotalSeconds;
        Console.WriteLine(firstBound
            ? $"all pods bound after {boundAt:F1} s: scheduling throughput {pods / boundAt:N0} pods/s (creation included)"
            : $"only {bound:N0} pods bound after {boundAt:F1} s");
        var ok = await WaitAsync(allRunning.Task, TimeSpan.FromMinutes(5));
        var steady = wall.Elapsed.TotalSeconds;
        var cpu1 = Process.GetCurrentProcess().TotalProcessorTime;
        Console.WriteLine(ok
            ? $"steady state (all {pods:N0} pods Running) after {steady:F1} s wall, {(cpu1 - cpu0).TotalSeconds:F1} s CPU, {changes:N0} pod changes"
            : $"NOT steady after {steady:F1} s: {running:N0} running");

        static double Sec(long ticks) => ticks / (double)Stopwatch.Frequency;
        Console.WriteLine($"simulation loop: events {Sec(sim.Spent[0]):F1} s, timers (kubelet) {Sec(sim.Spent[1]):F1} s, scheduler {Sec(sim.Spent[2]):F1} s, controllers {Sec(sim.Spent[3]):F1} s");

        // Churn: delete and create pods so that the simulation handles at least 100 pod status changes per second.
        var before = changes;
        var cpuChurn0 = Process.GetCurrentProcess().TotalProcessorTime;
        var churnWall = Stopwatch.StartNew();
        var next = 0;
        var tick = 0;
        while (churnWall.Elapsed.TotalSeconds < churnSeconds)
        {
            // 10 ticks per second, 5 replacements per tick: each replacement is ~5 pod changes (create, bind, creating, running, terminating, delete).
            for (var k = 0; k < 5; k++, next++)
            {
                var ns = Ns(next);
                cluster.Service.Delete(podType, ns, "p" + next.ToString(CultureInfo.InvariantCulture), RequestOptions.Default);
                cluster.Service.Create(podType, ns, Pod("c" + next.ToString(CultureInfo.InvariantCulture)), RequestOptions.Default);
            }

            tick++;
            var due = TimeSpan.FromMilliseconds(tick * 100) - churnWall.Elapsed;
            if (due > TimeSpan.Zero)
            {
                await Task.Delay(due);
            }
        }

        var churnCpu = (Process.GetCurrentProcess().TotalProcessorTime - cpuChurn0).TotalSeconds;
        var churnChanges = changes - before;
        Console.WriteLine($"churn: {churnChanges / churnWall.Elapsed.TotalSeconds:N0} pod changes/s for {churnWall.Elapsed.TotalSeconds:F0} s using {churnCpu / churnWall.Elapsed.TotalSeconds:F2} cores (whole process)");
        sub.Dispose();
        await counting;
        return ok ? 0 : 1;
    }

    public static void Micro()
    {
        var cluster = new SandboxCluster(new SandboxOptions { SeedNodes = false, Simulate = false });
        cluster.Seed();
        var podType = cluster.Type("", "v1", "pods");
        cluster.Service.Create(podType, "default", Pod("m"), RequestOptions.Default);
        var status = """{"status":{"phase":"Running","conditions":[{"type":"Ready","status":"True","lastProbeTime":null,"lastTransitionTime":"2026-01-01T00:00:00Z"},{"type":"PodScheduled","status":"True","lastProbeTime":null,"lastTransitionTime":"2026-01-01T00:00:00Z"}],"hostIP":"10.224.0.4","podIP":"10.244.0.4","startTime":"2026-01-01T00:00:00Z","containerStatuses":[{"name":"main","image":"x","imageID":"x@sha256:1","ready":true,"restartCount":0,"started":true,"state":{"running":{"startedAt":"2026-01-01T00:00:00Z"}},"lastState":{}}],"qosClass":"Burstable"}}""";
        var opt = new RequestOptions { Subresource = "status", FieldManager = "kubelet" };
        var sw = Stopwatch.StartNew();
        for (var i = 0; i < 2000; i++)
        {
            cluster.Service.Patch(podType, "default", "m", "application/merge-patch+json", status.Replace("10.244.0.4", "10.244.0." + (i % 200).ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal), opt);
        }

        Console.WriteLine($"status merge patch: {sw.Elapsed.TotalMilliseconds * 1000 / 2000:F0} µs each");
        sw.Restart();
        for (var i = 0; i < 2000; i++)
        {
            cluster.Service.Patch(podType, "default", "m", "application/merge-patch+json", """{"metadata":{"labels":{"x":"y"}}}""", new RequestOptions { FieldManager = "kubelet" });
        }

        Console.WriteLine($"no-op metadata merge patch: {sw.Elapsed.TotalMilliseconds * 1000 / 2000:F0} µs each");
    }

    private static readonly Storage.ResourceRef PodRef = new("", "pods");

    private static string Ns(int i) => $"sim-{i / 5_000:D3}";

    private static async Task<bool> WaitAsync(Task t, TimeSpan timeout) => await Task.WhenAny(t, Task.Delay(timeout)) == t;

    private static JsonObject Pod(string name) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "Pod",
        ["metadata"] = new JsonObject { ["name"] = name, ["labels"] = new JsonObject { ["app"] = "bench" } },
        ["spec"] = new JsonObject
        {
            ["terminationGracePeriodSeconds"] = 1,
            ["containers"] = new JsonArray(new JsonObject
            {
                ["name"] = "main",
                ["image"] = "registry.k8s.io/pause:3.10",
                ["resources"] = new JsonObject { ["requests"] = new JsonObject { ["cpu"] = "100m", ["memory"] = "128Mi" } },
            }),
        },
    };
}
