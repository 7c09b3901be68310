using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using k8s;
using k8s.Models;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Studio.Sandbox.Hosting;
using Studio.Web.Hubs;

namespace Studio.Live.Bench;

/// <summary>
/// The live layer end to end: pod changes made in the embedded sandbox at a fixed rate, observed by a raw
/// KubernetesClient watch (the physical floor) and by hub clients subscribed to <c>cluster:sandbox</c> (WebSockets,
/// MessagePack). Prints p50/p99 latency of both and the added latency; with <c>--clients N</c>, the fan-out to N clients
/// (every change or a snapshot), process CPU and memory. <c>--separate</c> runs the clients, the raw watch and the patch
/// sender in a second process; <c>--raw-clients</c> makes the clients raw WebSocket clients that only hash frames, with a
/// few reference clients parsing them (see <see cref="RawFanOut"/> and the README).
/// Usage: <c>dotnet run -c Release --project bench/Studio.Live.Bench [-- --rate 200 --seconds 10 --clients 1 --pods 100]</c>.
/// </summary>
internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        var options = new Options(Arg(args, "--rate", 200), Arg(args, "--seconds", 10), Arg(args, "--clients", 1), Arg(args, "--pods", 100))
        {
            RawClients = args.Contains("--raw-clients"),
            References = Arg(args, "--references", 5),
            Protocol = Text(args, "--protocol") ?? "messagepack",
            DropFrame = args.Contains("--drop-frame"),
            StallSeconds = Arg(args, "--stall-client", 0),
        };
        if (args.Contains("--driver"))
        {
            // The load side of --separate: sandbox changes, raw watch and hub clients, against a studio in another process.
            var url = Text(args, "--url") ?? throw new ArgumentException("--driver needs --url");
            var kubeconfig = await File.ReadAllTextAsync(Text(args, "--kubeconfig") ?? throw new ArgumentException("--driver needs --kubeconfig"));
            return await RunAsync(url, kubeconfig, options, mark =>
            {
                Console.WriteLine("MARK " + mark);
                return Task.CompletedTask;
            }, "driver process (clients, raw watch, patch sender)");
        }

        var separate = args.Contains("--separate");
        Console.WriteLine($"Live benchmark: {options.Rate} changes/s for {options.Seconds} s over {options.Pods} pods, {options.Clients} hub client(s), {Environment.ProcessorCount} cores, "
            + (separate ? "clients in a separate process" : "clients in the server process")
            + (options.RawClients ? $", raw WebSocket clients ({options.References} parse, the rest hash), {options.Protocol}" : ""));
        // --sandbox-process: the sandbox (the Kubernetes API the changes go through) in a third process, so that the
        // server's CPU figure is the studio's alone; by default the studio hosts it in-process.
        await using var sandbox = args.Contains("--sandbox-process") ? await SandboxProcess.StartAsync() : null;
        // The hub's options, as configuration: --parallel-delivery, and --max-backlog N for a self-check of the
        // fallen-behind path (0 makes any connection with a write in flight fall behind).
        var hubSettings = new Dictionary<string, string?> { ["Studio:Live:Hub:ParallelDelivery"] = args.Contains("--parallel-delivery") ? "true" : "false" };
        if (Text(args, "--max-backlog") is { } maxBacklog)
        {
            hubSettings["Studio:Live:Hub:MaxBacklog"] = maxBacklog;
        }

        await using var host = new StudioHost(Arg(args, "--server-send-buffer", 0), embeddedSandbox: sandbox is null, hubSettings);
        string kubeconfigYaml;
        if (sandbox is null)
        {
            kubeconfigYaml = (await host.Services.GetRequiredService<SandboxHost>().Ready).CreateKubeconfigYaml();
        }
        else
        {
            kubeconfigYaml = sandbox.KubeconfigYaml;
            var registered = await host.Services.GetRequiredService<Studio.Infrastructure.Clusters.ClusterService>().RegisterSandboxAsync("sandbox", kubeconfigYaml, CancellationToken.None);
            if (!registered.IsSuccess)
            {
                throw new InvalidOperationException("The sandbox process could not be registered: " + registered.Errors[0].Message);
            }
        }

        using var server = new ServerMeter(host.Services, sandbox);
        if (!separate)
        {
            var code = await RunAsync(host.BaseUrl, kubeconfigYaml, options, server.Mark, "process (server + sandbox + clients in one process)");
            server.Report(options.Clients, "server, sandbox and clients share this process");
            await ReportInventoryAsync(host, options);
            return code;
        }

        var exit = await RunDriverProcessAsync(host.BaseUrl, kubeconfigYaml, args, server, options);
        await ReportInventoryAsync(host, options);
        return exit;
    }

    /// <summary>Whether the studio's own shared informer ended with every pod's final change (tells a stalled watch from a stalled pump).</summary>
    private static async Task ReportInventoryAsync(StudioHost host, Options options)
    {
        var cluster = await host.Services.GetRequiredService<Studio.Infrastructure.Clusters.ClusterService>().GetAsync("sandbox", CancellationToken.None);
        var inventory = host.Services.GetRequiredService<Studio.Infrastructure.Kubernetes.Inventory.InventoryRegistry>().Peek(cluster.Value.Id);
        if (inventory is null)
        {
            return;
        }

        var total = options.Rate * options.Seconds;
        var pods = inventory.Pods.Snapshot().Where(p => p.Namespace == "bench").ToDictionary(p => p.Name, p => p.JobName);
        var final = Enumerable.Range(0, options.Pods).Count(i => pods.GetValueOrDefault($"p{i}") == $"seq-{total - options.Pods + i}");
        Console.WriteLine($"server informer: {final} of {options.Pods} pods at their final change in the studio's inventory");
    }

    /// <summary>Starts this benchmark again as <c>--driver</c> and relays its output, metering this (server) process at its marks.</summary>
    private static async Task<int> RunDriverProcessAsync(string url, string kubeconfigYaml, string[] args, ServerMeter server, Options options)
    {
        var kubeconfigPath = Path.Combine(Path.GetTempPath(), $"studio-live-bench-{Environment.ProcessId}.kubeconfig");
        await File.WriteAllTextAsync(kubeconfigPath, kubeconfigYaml);
        try
        {
            var start = new ProcessStartInfo { RedirectStandardOutput = true, UseShellExecute = false };
            var self = Environment.ProcessPath!;
            if (Path.GetFileNameWithoutExtension(self) == "dotnet")
            {
                start.FileName = self;
                start.ArgumentList.Add(typeof(Program).Assembly.Location);
            }
            else
            {
                start.FileName = self;
            }

            foreach (var arg in args.Where(a => a != "--separate"))
            {
                start.ArgumentList.Add(arg);
            }

            foreach (var arg in new[] { "--driver", "--url", url, "--kubeconfig", kubeconfigPath })
            {
                start.ArgumentList.Add(arg);
            }

            using var driver = Process.Start(start)!;
            while (await driver.StandardOutput.ReadLineAsync() is { } line)
            {
                if (line.StartsWith("MARK ", StringComparison.Ordinal))
                {
                    await server.Mark(line[5..]);
                }
                else
                {
                    Console.WriteLine(line);
                }
            }

            await driver.WaitForExitAsync();
            server.Report(options.Clients, server.SandboxElsewhere
                ? "studio process only: the sandbox API server and the clients, raw watch and patch sender are in other processes"
                : "server process only: studio + its embedded sandbox API server; clients, raw watch and patch sender are in the driver process");
            return driver.ExitCode;
        }
        finally
        {
            File.Delete(kubeconfigPath);
        }
    }

    /// <summary>The scenario against a running studio: pods, raw watch, hub clients, fixed-rate changes, figures.</summary>
    private static async Task<int> RunAsync(string baseUrl, string kubeconfig, Options options, Func<string, Task> mark, string processLabel)
    {
        var (rate, seconds, clients, podCount) = (options.Rate, options.Seconds, options.Clients, options.Pods);
        using var k8s = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(new MemoryStream(Encoding.UTF8.GetBytes(kubeconfig))));
        await k8s.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = "bench" } });
        for (var i = 0; i < podCount; i++)
        {
            await k8s.CoreV1.CreateNamespacedPodAsync(Pod(i), "bench");
        }

        // Let the scheduler settle (it reports FailedScheduling once for the unschedulable pods).
        await Task.Delay(2000);

        var sent = new ConcurrentDictionary<long, long>();
        var raw = new ConcurrentDictionary<long, long>();
        using var stop = new CancellationTokenSource();
        var watch = Task.Run(async () =>
        {
            try
            {
                await foreach (var (_, pod) in k8s.CoreV1.WatchListNamespacedPodAsync("bench", cancellationToken: stop.Token))
                {
                    if (pod.Metadata.Labels is { } labels && labels.TryGetValue("batch.kubernetes.io/job-name", out var label) && Seq(label) is { } seq)
                    {
                        raw.TryAdd(seq, Stopwatch.GetTimestamp());
                    }
                }
            }
            catch (OperationCanceledException)
            {
            }
        });

        var received = Enumerable.Range(0, options.RawClients ? 0 : clients).Select(_ => new ConcurrentDictionary<long, long>()).ToArray();
        var snapshots = new int[received.Length];
        var connections = new List<HubConnection>();
        await using var rawClients = options.RawClients ? new RawFanOut(baseUrl, options) : null;
        await mark("connect");
        if (rawClients is not null)
        {
            await rawClients.ConnectAsync(clients);
        }

        for (var c = 0; c < received.Length; c++)
        {
            var index = c;
            var connection = new HubConnectionBuilder()
                .WithUrl(baseUrl + "/hubs/live", o => o.Transports = HttpTransportType.WebSockets)
                .AddMessagePackProtocol()
                .Build();
            var first = new TaskCompletionSource();
            connection.On<LiveUpdate>("Update", update =>
            {
                var now = Stopwatch.GetTimestamp();
                if (update.IsSnapshot)
                {
                    Interlocked.Increment(ref snapshots[index]);
                    first.TrySetResult();
                }

                foreach (var change in update.Changes)
                {
                    if (Seq(change.Value?.Pod?.JobName) is { } seq)
                    {
                        received[index].TryAdd(seq, now);
                    }
                }
            });
            await connection.StartAsync();
            await connection.InvokeAsync("Subscribe", "cluster:sandbox");
            await first.Task.WaitAsync(TimeSpan.FromSeconds(30));
            connections.Add(connection);
        }

        Console.WriteLine($"{clients} client(s) subscribed");
        await mark("start");
        GC.Collect();
        var process = Process.GetCurrentProcess();
        process.Refresh();
        var cpuBefore = process.TotalProcessorTime;
        var memoryBefore = GC.GetTotalMemory(false);
        var wall = Stopwatch.StartNew();
        rawClients?.MarkStart();

        // Fixed-rate changes: each patch bumps one pod's job-name label to the next sequence number.
        var total = rate * seconds;
        var interval = TimeSpan.FromSeconds(1.0 / rate);
        var patches = new List<Task>(total);
        var clock = Stopwatch.StartNew();
        for (long seq = 0; seq < total; seq++)
        {
            var wait = interval * seq - clock.Elapsed;
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait);
            }

            var name = $"p{seq % podCount}";
            var body = new V1Patch("{\"metadata\":{\"labels\":{\"batch.kubernetes.io/job-name\":\"seq-" + seq.ToString(CultureInfo.InvariantCulture) + "\"}}}", V1Patch.PatchType.MergePatch);
            var id = seq;
            patches.Add(Task.Run(async () =>
            {
                sent[id] = Stopwatch.GetTimestamp();
                await k8s.CoreV1.PatchNamespacedPodAsync(body, name, "bench");
            }));
        }

        await Task.WhenAll(patches);
        var sendSeconds = clock.Elapsed.TotalSeconds;

        // Wait (up to 60 s) until every client has every pod's last change: a slow consumer may catch up late.
        var finals = Enumerable.Range(0, podCount).Select(p => (long)(total - podCount + p)).Where(s => s >= 0).ToList();
        var settle = Stopwatch.StartNew();
        while (settle.Elapsed < TimeSpan.FromSeconds(60) && !(rawClients?.Settled(finals) ?? received.All(r => finals.All(r.ContainsKey))))
        {
            await Task.Delay(100);
        }

        var settledAfter = settle.Elapsed.TotalSeconds;
        await mark("end");
        process.Refresh();
        var cpu = (process.TotalProcessorTime - cpuBefore).TotalSeconds / wall.Elapsed.TotalSeconds;
        var memory = GC.GetTotalMemory(false) - memoryBefore;
        await stop.CancelAsync();

        static double Ms(long from, long to) => (to - from) * 1000.0 / Stopwatch.Frequency;
        var rawLatency = sent.Where(s => raw.ContainsKey(s.Key)).Select(s => Ms(s.Value, raw[s.Key])).ToList();
        var hubLatency = new List<double>();
        var added = new List<double>();
        var lastPerPod = new HashSet<long>(Enumerable.Range(0, podCount).Select(p => (long)(total - podCount + p)).Where(s => s >= 0));
        var missingFinal = 0;
        for (var c = 0; c < received.Length; c++)
        {
            foreach (var (seq, at) in received[c])
            {
                if (sent.TryGetValue(seq, out var t0))
                {
                    hubLatency.Add(Ms(t0, at));
                    if (raw.TryGetValue(seq, out var r))
                    {
                        added.Add(Ms(r, at));
                    }
                }
            }

            // Every client must end with every pod's last change (coalescing may skip intermediate ones).
            missingFinal += lastPerPod.Count(seq => !received[c].ContainsKey(seq));
        }

        Console.WriteLine($"sent {total:N0} changes in {sendSeconds:0.0} s ({total / sendSeconds:0} /s); every client had the final state {settledAfter:0.0} s after the last change; load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]}");
        Console.WriteLine($"raw watch      : {rawLatency.Count:N0} events, p50 {P(rawLatency, 50):0.0} ms, p99 {P(rawLatency, 99):0.0} ms");
        if (rawClients is not null)
        {
            rawClients.Report(sent, raw, finals);
        }
        else
        {
            PrintHubClients(hubLatency, added, clients, missingFinal, snapshots);
        }

        Console.WriteLine($"{processLabel}: CPU {cpu:0.00} cores, managed heap +{memory / 1024.0 / 1024.0:0.0} MiB, working set {process.WorkingSet64 / 1024.0 / 1024.0:0} MiB");

        foreach (var connection in connections)
        {
            await connection.DisposeAsync();
        }

        await watch;
        return 0;
    }

    private static void PrintHubClients(List<double> hubLatency, List<double> added, int clients, int missingFinal, int[] snapshots)
    {
        Console.WriteLine($"hub (coalesced): {hubLatency.Count:N0} deliveries ({hubLatency.Count / (double)clients:N0} per client), p50 {P(hubLatency, 50):0.0} ms, p99 {P(hubLatency, 99):0.0} ms");
        Console.WriteLine($"added by studio: p50 {P(added, 50):0.0} ms, p99 {P(added, 99):0.0} ms (target p99 <= 150 ms)");
        Console.WriteLine($"fan-out        : {clients} clients, final state missing in {missingFinal} (client, pod) pairs, snapshots per client {snapshots.Average():0.00} (1 = only the initial one), {snapshots.Count(s => s > 1)} client(s) got a fallback snapshot");
    }

    private static V1Pod Pod(int i) => new()
    {
        Metadata = new V1ObjectMeta { Name = $"p{i}", NamespaceProperty = "bench", Labels = new Dictionary<string, string> { ["batch.kubernetes.io/job-name"] = "seq-none" } },
        Spec = new V1PodSpec
        {
            // Never scheduled: the only changes are the benchmark's own.
            NodeSelector = new Dictionary<string, string> { ["bench"] = "nowhere" },
            Containers = [new V1Container { Name = "c", Image = "busybox" }],
        },
    };

    internal static long? Seq(string? label) =>
        label is not null && label.StartsWith("seq-", StringComparison.Ordinal) && long.TryParse(label.AsSpan(4), NumberStyles.None, CultureInfo.InvariantCulture, out var seq) ? seq : null;

    internal static double P(List<double> values, int percentile)
    {
        if (values.Count == 0)
        {
            return double.NaN;
        }

        values.Sort();
        return values[Math.Min(values.Count - 1, (int)Math.Ceiling(percentile / 100.0 * values.Count) - 1)];
    }

    private static string? Text(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    private static int Arg(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
    }
}
