using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using k8s;
using k8s.Models;
using Npgsql;
using Studio.Leadership.Bench;
using Studio.Sandbox;

namespace Studio.Pages.Bench;

/// <summary>
/// <c>--replicas</c>: the studio's per-replica CPU and memory with N Blazor circuits on <c>/monitoring</c>, on one replica
/// vs spread over three. Each replica is its own <c>dotnet Studio.Web.dll</c> process (Production, Local sign-in on
/// loopback) sharing one real PostgreSQL (Debian's binaries, a fresh database per run) and one real Redis
/// (<c>redis-server</c>), watching one sandbox cluster (in this process, simulation on). Circuits are
/// <see cref="RawCircuit"/>s (the real <c>_blazor</c> handshake, StartCircuit + UpdateRootComponents, every render batch
/// acknowledged) in a driver process per replica. Phases: replicas alone (20 s), circuits open and idle (20 s), then
/// <c>--rate</c> new pods a second for <c>--seconds</c> (each shown on every circuit as the running-pods count changes).
/// </summary>
internal static class ReplicaRun
{
    public static async Task<int> RunAsync(int circuits, int rate, int seconds)
    {
        Console.WriteLine($"Replica bench: {circuits} circuits on /monitoring, 1 replica vs 3; load average {Load()}");
        await using var postgres = await PostgresProcess.StartAsync();
        await using var redis = await RedisProcess.StartAsync();
        await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions { Port = 0, Speed = 10 });
        using var kube = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(sandbox.CreateKubeconfigYaml()))));
        await kube.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = "churn" } });
        var rows = new List<string>();
        var run = 0;
        foreach (var replicas in new[] { 1, 3 })
        {
            rows.AddRange(await ScenarioAsync(postgres, redis, sandbox, kube, replicas, circuits, rate, seconds, run++));
        }

        Console.WriteLine();
        Console.WriteLine("| replicas | replica | circuits on it | RSS alone | CPU alone | RSS with circuits, idle | CPU idle | RSS under changes (peak) | CPU under changes |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|---|");
        rows.ForEach(Console.WriteLine);
        Console.WriteLine($"load average at the end {Load()}");
        return 0;
    }

    private static async Task<List<string>> ScenarioAsync(PostgresProcess postgres, RedisProcess redis, SandboxServer sandbox, Kubernetes kube, int count, int circuits, int rate, int seconds, int run)
    {
        var database = $"studio_replicas_{run}_{Environment.ProcessId}";
        await using (var connection = new NpgsqlConnection(postgres.ConnectionString))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {database}", connection);
            await create.ExecuteNonQueryAsync();
        }

        var connectionString = new NpgsqlConnectionStringBuilder(postgres.ConnectionString) { Database = database }.ToString();
        var replicas = new List<Replica> { await Replica.StartAsync(connectionString, redis.Configuration) };
        replicas.AddRange(await Task.WhenAll(Enumerable.Range(1, count - 1).Select(_ => Replica.StartAsync(connectionString, redis.Configuration))));
        var fleets = new List<RawCircuitFleet>();
        try
        {
            using (var http = new HttpClient { BaseAddress = replicas[0].Url })
            {
                using var registered = await http.PostAsJsonAsync("api/clusters", new { name = "sandbox", kubeconfig = sandbox.CreateKubeconfigYaml() });
                registered.EnsureSuccessStatusCode();
            }

            Console.WriteLine($"{count} replica(s) ready; load average {Load()}");
            var alone = await MeasureAsync(replicas, TimeSpan.FromSeconds(20), null);
            var opening = Stopwatch.StartNew();
            var each = circuits / count;
            foreach (var replica in replicas)
            {
                fleets.Add(await RawCircuitFleet.StartAsync(new Uri(replica.Url, "monitoring").ToString(), replica == replicas[^1] ? circuits - (each * (count - 1)) : each, 0));
            }

            Console.WriteLine($"{circuits} circuits open in {opening.Elapsed.TotalSeconds:0.0} s ({string.Join(", ", fleets.Select(f => f.Count))}); load average {Load()}");
            var idle = await MeasureAsync(replicas, TimeSpan.FromSeconds(20), null);
            var busy = await MeasureAsync(replicas, TimeSpan.FromSeconds(seconds), ct => ChurnAsync(kube, rate, run, ct));
            Console.WriteLine($"changes done; load average {Load()}");
            return [.. replicas.Select((r, i) =>
                $"| {count} | {i + 1} | {fleets[i].Count} | {alone[i].Rss} | {alone[i].Cores} | {idle[i].Rss} | {idle[i].Cores} | {busy[i].Rss} | {busy[i].Cores} |")];
        }
        finally
        {
            foreach (var fleet in fleets)
            {
                await fleet.DisposeAsync();
            }

            foreach (var replica in replicas)
            {
                replica.Dispose();
            }
        }
    }

    /// <summary>Each replica's CPU (cores over the window) and peak resident memory (sampled every second), while <paramref name="load"/> runs.</summary>
    private static async Task<(string Rss, string Cores)[]> MeasureAsync(List<Replica> replicas, TimeSpan window, Func<CancellationToken, Task>? load)
    {
        var before = replicas.Select(r => r.Cpu()).ToArray();
        var peaks = new long[replicas.Count];
        var clock = Stopwatch.StartNew();
        using var stop = new CancellationTokenSource(window);
        var loading = load?.Invoke(stop.Token) ?? Task.CompletedTask;
        while (clock.Elapsed < window)
        {
            for (var i = 0; i < replicas.Count; i++)
            {
                peaks[i] = Math.Max(peaks[i], replicas[i].Rss());
            }

            await Task.Delay(1000);
        }

        await loading.ContinueWith(_ => { }, TaskScheduler.Default);
        var elapsed = clock.Elapsed.TotalSeconds;
        return [.. replicas.Select((r, i) => (
            $"{peaks[i] / 1048576.0:0} MiB",
            ((r.Cpu() - before[i]).TotalSeconds / elapsed).ToString("0.00", CultureInfo.InvariantCulture)))];
    }

    /// <summary>Creates <paramref name="rate"/> pods a second in namespace <c>churn</c>; the sandbox schedules and runs them.</summary>
    private static async Task ChurnAsync(Kubernetes kube, int rate, int run, CancellationToken cancellationToken)
    {
        var n = 0;
        var clock = Stopwatch.StartNew();
        while (!cancellationToken.IsCancellationRequested)
        {
            var due = (int)(clock.Elapsed.TotalSeconds * rate);
            for (; n < due; n++)
            {
                var pod = new V1Pod
                {
                    Metadata = new V1ObjectMeta { Name = $"churn-{run}-{n}" },
                    Spec = new V1PodSpec
                    {
                        Containers = [new V1Container { Name = "main", Image = "busybox:1.36", Command = ["sleep", "3600"], Resources = new V1ResourceRequirements { Requests = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("10m"), ["memory"] = new("16Mi") } } }],
                    },
                };
                await kube.CoreV1.CreateNamespacedPodAsync(pod, "churn", cancellationToken: CancellationToken.None);
            }

            await Task.Delay(20, cancellationToken).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    private static string Load() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

    /// <summary>One studio replica: <c>dotnet Studio.Web.dll</c> from this bench's output folder.</summary>
    private sealed class Replica : IDisposable
    {
        private readonly Process _process;
        private readonly string _data;

        private Replica(Process process, Uri url, string data)
        {
            _process = process;
            Url = url;
            _data = data;
        }

        public Uri Url { get; }

        public static async Task<Replica> StartAsync(string connectionString, string redis)
        {
            var port = FreePort();
            var data = Directory.CreateTempSubdirectory("studio-replica-").FullName;
            var start = new ProcessStartInfo("dotnet") { WorkingDirectory = AppContext.BaseDirectory, UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
            start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Studio.Web.dll"));
            start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
            start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
            start.Environment["Studio__DataFolder"] = data;
            start.Environment["Studio__Sandbox__Enabled"] = "false";
            start.Environment["Studio__Database__Provider"] = "PostgreSQL";
            start.Environment["Studio__Database__ConnectionString"] = connectionString;
            start.Environment["Studio__SignalR__Redis"] = redis;
            start.Environment["Logging__LogLevel__Default"] = "Warning";
            var process = Process.Start(start)!;
            process.OutputDataReceived += (_, _) => { };
            process.ErrorDataReceived += (_, e) =>
            {
                if (e.Data is { Length: > 0 } line)
                {
                    Console.Error.WriteLine($"  replica {port}: {line}");
                }
            };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            var replica = new Replica(process, new Uri($"http://127.0.0.1:{port}/"), data);
            using var http = new HttpClient { BaseAddress = replica.Url, Timeout = TimeSpan.FromSeconds(60) };
            var deadline = DateTime.UtcNow.AddMinutes(3);
            while (true)
            {
                if (process.HasExited)
                {
                    throw new InvalidOperationException($"replica on port {port} exited with code {process.ExitCode}");
                }

                try
                {
                    using var ready = await http.GetAsync("healthz/ready");
                    if (ready.StatusCode == HttpStatusCode.OK)
                    {
                        return replica;
                    }
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                }

                if (DateTime.UtcNow > deadline)
                {
                    throw new TimeoutException($"replica on port {port} not ready in 3 minutes");
                }

                await Task.Delay(500);
            }
        }

        public TimeSpan Cpu()
        {
            _process.Refresh();
            return _process.TotalProcessorTime;
        }

        public long Rss()
        {
            _process.Refresh();
            return _process.WorkingSet64;
        }

        public void Dispose()
        {
            if (!_process.HasExited)
            {
                _process.Kill();
                _process.WaitForExit(10_000);
            }

            _process.Dispose();
            Directory.Delete(_data, recursive: true);
        }

        private static int FreePort()
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
    }

    /// <summary>A throwaway Redis from Debian's <c>redis-server</c> on a free loopback port, without persistence.</summary>
    private sealed class RedisProcess : IAsyncDisposable
    {
        private readonly Process _process;

        private RedisProcess(Process process, int port)
        {
            _process = process;
            Configuration = $"127.0.0.1:{port}";
        }

        public string Configuration { get; }

        public static async Task<RedisProcess> StartAsync()
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            listener.Stop();
            var binary = File.Exists("/usr/bin/redis-server") ? "/usr/bin/redis-server" : throw new InvalidOperationException("redis-server not found: install Debian's 'redis-server' (test.sh does).");
            var process = Process.Start(new ProcessStartInfo(binary, $"--port {port} --bind 127.0.0.1 --save \"\" --appendonly no") { UseShellExecute = false, RedirectStandardOutput = true })!;
            process.OutputDataReceived += (_, _) => { };
            process.BeginOutputReadLine();
            for (var i = 0; i < 100; i++)
            {
                try
                {
                    using var probe = new TcpClient();
                    await probe.ConnectAsync(IPAddress.Loopback, port);
                    return new RedisProcess(process, port);
                }
                catch (SocketException)
                {
                    await Task.Delay(100);
                }
            }

            throw new TimeoutException("redis-server did not listen within 10 s");
        }

        public ValueTask DisposeAsync()
        {
            if (!_process.HasExited)
            {
                _process.Kill();
                _process.WaitForExit(5_000);
            }

            _process.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
