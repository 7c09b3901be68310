using System.Diagnostics;
using System.Globalization;
using System.Text;
using k8s;
using k8s.Models;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Studio.Infrastructure.Clusters;
using Studio.Infrastructure.Kubernetes.Inventory;
using Studio.Infrastructure.Monitoring;
using Studio.Infrastructure.Persistence;
using Studio.Web.Components.Controls;
using Studio.Infrastructure.Live;
using Studio.Web.Model;

namespace Studio.Pages.Bench;

/// <summary>
/// The overview, cluster and monitoring pages at 5,000 nodes / 150,000 pods in Debian's Chromium: time to real data,
/// change→DOM latency under pod status changes, and server memory per Blazor circuit with many monitoring pages open.
/// Usage: <c>dotnet run -c Release --project bench/Studio.Pages.Bench [-- --pods N --rate N --seconds N --circuits N --runs N]</c>.
/// </summary>
internal static class Program
{
    private const string Observer = """
        (() => {
          window.__studio = { ready: null, values: [] };
          const check = () => {
            const el = document.querySelector('[data-testid="pods-running"][data-value]');
            if (!el) return;
            const v = Number(el.getAttribute('data-value'));
            const now = performance.now();
            if (window.__studio.ready === null) window.__studio.ready = now;
            const values = window.__studio.values;
            if (values.length === 0 || values[values.length - 1].v !== v) values.push({ t: performance.timeOrigin + now, v });
          };
          new MutationObserver(check).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-value'], characterData: true });
        })();
        """;

    private static int _nextPod;

    public static async Task<int> Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "--raw-circuit-driver")
        {
            return await RawCircuitDriver.RunAsync(args);
        }

        if (args.Length > 0 && args[0] == "--replicas")
        {
            return await ReplicaRun.RunAsync(Arg(args, "--circuits", 300), Arg(args, "--rate", 5), Arg(args, "--seconds", 30));
        }

        var pods = Arg(args, "--pods", 150_000);
        var rate = Arg(args, "--rate", 100);
        var seconds = Arg(args, "--seconds", 10);
        var circuits = Arg(args, "--circuits", 50);
        var runs = Arg(args, "--runs", 5);
        var hold = Arg(args, "--hold", 0);
        var only = Array.IndexOf(args, "--fanout-only") >= 0;
        var baselinePath = Array.IndexOf(args, "--baseline-path") is var b and >= 0 ? args[b + 1] : "/workspaces";
        var memoryPaths = Array.IndexOf(args, "--memory-only") is var m and >= 0 ? args[m + 1].Split(',') : null;
        only |= memoryPaths is not null;
        var rawCircuits = Arg(args, "--raw-circuits", 0);
        var rawRates = Array.IndexOf(args, "--raw-rates") is var rr and >= 0 ? [.. args[rr + 1].Split(',').Select(r => int.Parse(r, CultureInfo.InvariantCulture))] : new[] { rate, 200 }.Distinct().ToArray();
        var rawStall = Arg(args, "--raw-stall", 0); // self-check: the last N raw circuits stop acknowledging render batches

        // Free buffers in the byte pools, from before the studio starts (its pinned block pool reports from its creation).
        using var pools = rawCircuits > 0 ? new PoolCensus() : null;
        var browserFanOut = Array.IndexOf(args, "--skip-browser-fanout") < 0;
        var artifacts = Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "artifacts")).FullName;
        Console.WriteLine($"Pages benchmark: preset:scale-5000, {pods:N0} pods, {Environment.ProcessorCount} cores, load average {LoadAverage()}");

        var start = Stopwatch.StartNew();
        await using var host = new PagesHost(pods);
        Console.WriteLine($"studio + sandbox up in {start.Elapsed.TotalSeconds:0.0} s (pods preloaded into the store in {PodPreloader.Elapsed.TotalSeconds:0.0} s, {PodPreloader.Nodes:N0} nodes)");

        // One lease for the whole run, as the metric sampler holds in production: pages find the inventory synced.
        var cluster = (await host.Services.GetRequiredService<ClusterService>().GetAsync("sandbox", CancellationToken.None)).Value;
        var sync = Stopwatch.StartNew();
        using var lease = (await host.Services.GetRequiredService<InventoryRegistry>().AcquireAsync(cluster.Id, CancellationToken.None)).Value;
        await lease.Inventory.FirstSync;
        Console.WriteLine($"inventory synced in {sync.Elapsed.TotalSeconds:0.0} s: {lease.Inventory.Nodes.Count:N0} nodes, {lease.Inventory.Pods.Count:N0} pods");
        ServerWork(lease.Inventory);

        // The bench turns the periodic sampler off (Studio:Monitoring:Enabled=false); the monitoring pages draw their
        // charts only from two points on, so seed the history the sampler would have written: an hour at its default
        // 30 s interval (120 samples per pool and the cluster total; the pages load at most 180 per range). Without it
        // the pages show "Not enough history yet" and the figures leave out the charts and their data points.
        var historySamples = Arg(args, "--history", 120);
        await using (var db = await host.Services.GetRequiredService<IDbContextFactory<StudioDbContext>>().CreateDbContextAsync())
        {
            var now = DateTimeOffset.UtcNow;
            for (var k = historySamples; k >= 1; k--)
            {
                db.MetricSamples.AddRange(MetricSampler.Sample(lease.Inventory, now - TimeSpan.FromSeconds(30 * k)));
            }

            await db.SaveChangesAsync();
        }
        Console.WriteLine($"history seeded: {historySamples} samples per pool and cluster total, 30 s apart (--history N)");

        using var kube = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(new MemoryStream(Encoding.UTF8.GetBytes(PodPreloader.Kubeconfig))));
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Environment.GetEnvironmentVariable("STUDIO_CHROMIUM") ?? "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic", "--disable-dev-shm-usage"],
        });

        if (Array.IndexOf(args, "--drill-only") >= 0)
        {
            await DrillDown.RunAsync(browser, host.BaseUrl, lease.Inventory, runs, artifacts);
            Console.WriteLine($"load average at the end: {LoadAverage()}");
            return 0;
        }

        string[] pages = ["/", "/clusters/sandbox", "/monitoring"];
        Console.WriteLine();
        Console.WriteLine($"| page | time to real data (median of {runs}) | max | change→DOM p50 | p99 | seen | server part p50 / p99 |");
        Console.WriteLine("|---|---|---|---|---|---|---|");
        foreach (var path in only ? [] : pages)
        {
            await OpenAsync(browser, host.BaseUrl + path); // warm-up (JIT, first render of the route)
            var times = new List<double>();
            for (var i = 0; i < runs; i++)
            {
                var (context, page) = await OpenAsync(browser, host.BaseUrl + path);
                times.Add(await page.EvaluateAsync<double>("window.__studio.ready"));
                await LeaveAsync(context);
            }

            var (liveContext, live) = await OpenAsync(browser, host.BaseUrl + path);
            var latency = await DriveAsync(kube, [live], rate, seconds, host.Services.GetRequiredService<LiveClusterViews>(), lease.Inventory);
            await LeaveAsync(liveContext);
            Console.WriteLine($"| {path} | {Median(times):0} ms | {times.Max():0} ms | {latency.P50:0} ms | {latency.P99:0} ms | {latency.Seen}/{latency.Sent} | {latency.Server?.P50:0} / {latency.Server?.P99:0} ms |");
        }

        if (!only)
        {
            await Screenshots(browser, host.BaseUrl, artifacts);
            await DrillDown.RunAsync(browser, host.BaseUrl, lease.Inventory, runs, artifacts);
        }

        // Memory per circuit, marginal: a few warm-up circuits first (JIT, static caches, pools), then N more; the
        // difference divided by N. The floor is a light page (layout, navigation, a short list) for comparison.
        Console.WriteLine();
        foreach (var path in memoryPaths ?? (browserFanOut ? [baselinePath] : []))
        {
            await MeasureCircuitsAsync(browser, host.BaseUrl + path, path, circuits);
        }

        if (memoryPaths is not null)
        {
            return 0;
        }

        if (rawCircuits > 0)
        {
            await RawFanOutAsync(browser, host, kube, lease.Inventory, rawCircuits, rawRates, seconds, rawStall, pools!);
        }

        if (!browserFanOut)
        {
            Console.WriteLine($"load average at the end: {LoadAverage()}");
            return 0;
        }

        // Fan-out: many circuits on the monitoring page while changes flow.
        await Task.Delay(5000);
        Console.WriteLine();
        Console.WriteLine($"Browser fan-out: circuits still open on the server before it: {CircuitCounter.Open}");
        var before = ServerMemory();
        var open = new List<(IBrowserContext Context, IPage Page)>();
        var opening = Stopwatch.StartNew();
        for (var i = 0; i < circuits; i++)
        {
            open.Add(await OpenAsync(browser, host.BaseUrl + "/monitoring"));
        }

        Console.WriteLine();
        Console.WriteLine($"{circuits} monitoring pages open in {opening.Elapsed.TotalSeconds:0.0} s; circuits open on the server: {CircuitCounter.Open}");
        await Task.Delay(3000);
        var idle = ServerMemory();
        Console.WriteLine($"server managed memory after full GC, pages idle: {before / 1048576.0:0.0} MB before, {idle / 1048576.0:0.0} MB with the pages open → {(idle - before) / 1024.0 / circuits:0} KB per circuit");
        if (hold > 0)
        {
            Console.WriteLine($"holding {hold} s for a heap snapshot: dotnet-gcdump collect -p {Environment.ProcessId}");
            await Task.Delay(TimeSpan.FromSeconds(hold));
        }

        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var wall = Stopwatch.StartNew();
        var fan = await DriveAsync(kube, [.. open.Select(o => o.Page)], rate, seconds, host.Services.GetRequiredService<LiveClusterViews>(), lease.Inventory);
        var cores = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds / wall.Elapsed.TotalSeconds;
        var after = ServerMemory();
        Console.WriteLine($"{circuits} circuits, {rate} changes/s for {seconds} s: change→DOM p50 {fan.P50:0} ms, p99 {fan.P99:0} ms over {fan.Seen:N0} observations ({fan.Sent} changes × {circuits} pages, {fan.Missed} missed); studio+sandbox process CPU {cores:0.00} cores");
        Console.WriteLine($"  of which on the server: change→shared view handed to the circuits p50 {fan.Server?.P50:0} ms, p99 {fan.Server?.P99:0} ms (the rest is the render, the WebSocket and {circuits} Chromium renderers sharing the cores)");
        Console.WriteLine($"server managed memory after full GC, after the changes: {after / 1048576.0:0.0} MB with {CircuitCounter.Open} circuits → {(after - before) / 1024.0 / circuits:0} KB per circuit");
        foreach (var (context, _) in open)
        {
            await LeaveAsync(context);
        }

        Console.WriteLine($"load average at the end: {LoadAverage()}");
        return 0;
    }

    /// <summary>
    /// N raw circuits (a .NET client per circuit in a second process, see <see cref="RawCircuit"/>) and one Chromium page on
    /// /monitoring, side by side, at each rate: delivery to every circuit, the browser's change→DOM, CPU of the studio
    /// and of the driver, server memory per circuit idle, after the changes and 10 s later.
    /// </summary>
    private static async Task RawFanOutAsync(IBrowser browser, PagesHost host, Kubernetes kube, ClusterInventory inventory, int count, int[] rates, int seconds, int stall, PoolCensus pools)
    {
        var url = host.BaseUrl + "/monitoring";

        // The in-process sandbox keeps its last 20,000 watch events (≈ 9 MB at this size): fill that history first, so
        // that the "after" figures below do not count it growing with the measured changes (a real cluster's API server
        // is another process). The same status patch as the measured changes, 16 at a time.
        var warm = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, 20_000), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (_, ct) =>
        {
            var i = Interlocked.Increment(ref _nextPod) - 1;
            await kube.CoreV1.PatchNamespacedPodStatusAsync(new V1Patch("""{"status":{"phase":"Succeeded"}}""", V1Patch.PatchType.MergePatch), PodPreloader.Name(i), PodPreloader.Namespace(i), cancellationToken: ct);
        });
        Console.WriteLine($"sandbox watch history filled: 20,000 pod status changes in {warm.Elapsed.TotalSeconds:0.0} s before the control round");
        await Task.Delay(3000);

        // Control: the same changes with no circuit open. The studio, the sandbox (its store and watch history) and the
        // inventory share this process, so what they keep after the changes is in every "after" figure below too.
        // A bench subscriber keeps the shared live view computed per batch, as it is with circuits open.
        var views = host.Services.GetRequiredService<LiveClusterViews>();
        var control = ServerMemory();
        await using (await ViewTap.StartAsync(views, inventory))
        {
            await DriveAsync(kube, [], rates[0], seconds);
        }

        var controlAfter = ServerMemory();
        Console.WriteLine();
        Console.WriteLine($"Control: {rates[0]} changes/s for {seconds} s with no circuit open (the shared live view followed by one bench subscriber): server managed memory {control / 1048576.0:0.0} → {controlAfter / 1048576.0:0.0} MB ({(controlAfter - control) / 1048576.0:+0.0;-0.0} MB, i.e. {(controlAfter - control) / 1024.0 / (count + 1):+0;-0} KB if it were divided by {count + 1} circuits)");
        var load = LoadAverage();
        var empty = ServerMemory();
        var openBefore = CircuitCounter.Open;

        // The Chromium page opens first: the first monitoring circuit also pays what all of them share (the shared live
        // view, the chart cache, first-use caches), so "before" is taken with it open and the raw circuits' memory is
        // marginal (as the floor measurement above does with its three warm-up pages).
        await using var firstTap = await ViewTap.StartAsync(views, inventory);
        var (context, page) = await OpenAsync(browser, url);
        await Task.Delay(3000);
        var before = ServerMemory();
        var pooledBefore = pools.Total;
        await HoldAsync("raw-before");
        await using var fleet = await RawCircuitFleet.StartAsync(url, count, stall);
        await using var lastTap = await ViewTap.StartAsync(views, inventory);
        await Task.Delay(3000);
        var circuits = CircuitCounter.Open - openBefore;
        var idle = ServerMemory();
        var pooledIdle = pools.Total;
        var charts = host.Services.GetRequiredService<ChartMarkup>();
        var cacheBefore = ChartCacheCensus.Measure(charts);
        await HoldAsync("raw-idle");
        Console.WriteLine($"Raw circuits: {fleet.Count} raw circuits (driver process {fleet.ProcessId}, opened in {fleet.OpenedInSeconds:0.0} s) + 1 Chromium page on /monitoring; {circuits} circuits opened on the server ({openBefore} open before); load average {load}");
        Console.WriteLine($"  server managed memory after full GC: {empty / 1048576.0:0.0} MB without a monitoring page, {before / 1048576.0:0.0} MB with the Chromium page ({(before - empty) / 1024.0:0} KB: the first circuit and what all share), {idle / 1048576.0:0.0} MB with the raw circuits idle → {(idle - before) / 1024.0 / fleet.Count:0} KB per raw circuit");
        Console.WriteLine($"  {PooledNote(pooledBefore, pooledIdle, idle - before, fleet.Count)}");
        if (stall > 0)
        {
            Console.WriteLine($"  SELF-CHECK: the last {stall} raw circuit(s) stop acknowledging render batches from the first run on (--raw-stall)");
        }

        var rows = new List<string>();
        foreach (var rate in rates)
        {
            var loadBefore = LoadAverage();
            firstTap.Clear();
            lastTap.Clear();
            var result = await DriveAsync(kube, [page], rate, seconds, views, inventory, fleet);
            var handOff = ViewTap.Between(firstTap, lastTap);
            var slowest = ViewTap.Slowest(firstTap, lastTap, 4);
            var raw = result.Raw!;
            var after = ServerMemory();
            var pooledAfter = pools.Total;
            var loadAfter = LoadAverage();
            var finals = raw.Circuits.GroupBy(c => c.Last).Select(g => $"{g.Key?.ToString(CultureInfo.InvariantCulture) ?? "none"} ×{g.Count()}");
            var browserFinal = result.Finals.FirstOrDefault(-1);
            var same = raw.Circuits.Count(c => c.Last == (long)browserFinal);
            var batches = raw.Circuits.Sum(c => c.Batches);
            var bytes = raw.Circuits.Sum(c => c.Bytes);
            var failures = raw.Circuits.Where(c => c.Failure is not null).Select(c => $"#{c.Index}: {c.Failure}").Take(3).ToList();
            Console.WriteLine($"  {rate} changes/s for {seconds} s ({raw.Changes:N0} changes, sent in {raw.Sending.TotalSeconds:0.0} s), load average {loadBefore} → {loadAfter}:");
            var stalledNote = raw.Stalled is { } st ? $" (+ {st.Circuits.Count} stalled on purpose: {st.Complete} of them complete)" : "";
            Console.WriteLine($"    raw circuits: {raw.Complete + (raw.Stalled?.Complete ?? 0)} of {raw.Circuits.Count + (raw.Stalled?.Circuits.Count ?? 0)} saw every change{stalledNote}; change→batch p50 {raw.P50:0} ms, p99 {raw.P99:0} ms, max {raw.Max:0} ms over {raw.Pairs - raw.Missed:N0} of {raw.Pairs:N0} circuit×change pairs ({raw.Missed:N0} missed)");
            Console.WriteLine($"    Chromium page: change→DOM p50 {result.P50:0} ms, p99 {result.P99:0} ms, {result.Seen}/{result.Sent} seen; server part (the bench's last subscriber got the view) p50 {result.Server?.P50:0} / p99 {result.Server?.P99:0} ms");
            Console.WriteLine($"    final data-value: Chromium {browserFinal:0}; raw circuits {string.Join(", ", finals)} → {same} of {raw.Circuits.Count} equal to the browser's{(same == raw.Circuits.Count ? "" : " — MISMATCH")}");
            Console.WriteLine($"    CPU from the mark to the end of the wait: studio process {raw.StudioCores:0.00} cores (with the sandbox, the patch sender and the Playwright client), raw-circuit driver {raw.DriverCores:0.00} cores, whole machine {raw.MachineCores:0.00} of {Environment.ProcessorCount} cores busy (all sessions, Chromium included)");
            Console.WriteLine($"    render batches: {batches / (double)Math.Max(1, raw.Circuits.Count):0} per circuit, {bytes / (double)Math.Max(1, batches) / 1024:0.0} KB each on average{(failures.Count > 0 ? "; failures: " + string.Join("; ", failures) : "")}");
            var tenth = Math.Max(1, raw.CircuitMedians.Count / 10);
            Console.WriteLine($"    by join order: median latency of the first {tenth} circuits {raw.CircuitMedians.Take(tenth).Average():0} ms, of the last {tenth} {raw.CircuitMedians.TakeLast(tenth).Average():0} ms");
            Console.WriteLine($"    spread of one view between a subscriber opened before and one opened after the {circuits} circuits (each reads its own stream): p50 {Pct(handOff, 0.5):0.0} ms, p99 {Pct(handOff, 0.99):0.0} ms, max {(handOff.Count > 0 ? handOff[^1] : double.NaN):0.0} ms over {handOff.Count} batches → {Pct(handOff, 0.5) / circuits:0.00} ms per circuit per batch; slowest {string.Join(", ", slowest.Select(x => $"{x.Ms:0} ms at +{x.At:0.0} s"))} (the charts' 'now' point is refreshed every {LiveClusterView.ChartRefresh.TotalSeconds:0} s)");
            if (raw.Stalled is { } s)
            {
                Console.WriteLine($"    stalled circuits (self-check): {s.Complete} of {s.Circuits.Count} saw every change, {s.Missed:N0} of {s.Pairs:N0} pairs missed, p50 {s.P50:0} ms, p99 {s.P99:0} ms; batches received {string.Join(", ", s.Circuits.Select(c => $"{c.Batches} ({c.Acknowledged} acknowledged)"))}; last values {string.Join(", ", s.Circuits.Select(c => c.Last))}");
            }

            var cache = ChartCacheCensus.Measure(charts);
            await HoldAsync("raw-after-" + rate.ToString(CultureInfo.InvariantCulture));
            Console.WriteLine($"    server managed memory after full GC, after the changes: {after / 1048576.0:0.0} MB → {(after - before) / 1024.0 / fleet.Count:0} KB per raw circuit; shared chart cache {cacheBefore.Entries} → {cache.Entries} entries, {cacheBefore.Bytes / 1048576.0:0.0} → {cache.Bytes / 1048576.0:0.0} MB of strings (without its growth: {(after - before - (cache.Bytes - cacheBefore.Bytes)) / 1024.0 / fleet.Count:0} KB per raw circuit)");
            await Task.Delay(10_000);
            Console.WriteLine($"      {PooledNote(pooledBefore, pooledAfter, after - before, fleet.Count)}");
            var later = ServerMemory();
            var pooledLater = pools.Total;
            Console.WriteLine($"    10 s later: {later / 1048576.0:0.0} MB → {(later - before) / 1024.0 / fleet.Count:0} KB per raw circuit; {PooledNote(pooledBefore, pooledLater, later - before, fleet.Count)}");

            // After the memory figures: enumerating a ConcurrentQueue makes it keep what is dequeued from that segment on.
            var (pendingCircuits, pendingBatches, pendingBytes) = CircuitCensus.Unacknowledged();
            Console.WriteLine($"    render batches the server holds unacknowledged: {pendingBatches} in {pendingCircuits} circuits, {pendingBytes / 1024.0:0} KB");
            rows.Add($"| {fleet.Count} raw + 1 Chromium, {rate}/s | {raw.Complete}/{raw.Circuits.Count} | {raw.P50:0} / {raw.P99:0} / {raw.Max:0} ms | {result.P50:0} / {result.P99:0} ms ({result.Seen}/{result.Sent}) | {Pct(handOff, 0.5):0} / {Pct(handOff, 0.99):0} ms | {raw.StudioCores:0.00} | {raw.DriverCores:0.00} | {raw.MachineCores:0.00} | {(idle - before) / 1024.0 / fleet.Count:0} / {(after - before) / 1024.0 / fleet.Count:0} / {(later - before) / 1024.0 / fleet.Count:0} KB | {(idle - before - (pooledIdle - pooledBefore)) / 1024.0 / fleet.Count:0} / {(after - before - (pooledAfter - pooledBefore)) / 1024.0 / fleet.Count:0} / {(later - before - (pooledLater - pooledBefore)) / 1024.0 / fleet.Count:0} KB | {loadBefore.Split(' ')[0]} → {loadAfter.Split(' ')[0]} |");
        }

        await LeaveAsync(context);
        await fleet.DisposeAsync();
        await Task.Delay(2000);
        Console.WriteLine($"  circuits open on the server after the raw circuits and the page left: {CircuitCounter.Open} (before: {openBefore})");
        Console.WriteLine();
        Console.WriteLine("| run | raw circuits complete | change→batch p50 / p99 / max | Chromium change→DOM p50 / p99 (seen) | hand-off to all circuits p50 / p99 | studio cores | driver cores | machine cores busy | KB per raw circuit idle / after / 10 s later | same without the free pooled buffers | load average |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|---|---|---|");
        foreach (var row in rows)
        {
            Console.WriteLine(row);
        }
    }

    /// <summary>
    /// Leaves the pages (about:blank: blazor.web.js sends its disconnect beacon on pagehide, so the server disposes the
    /// circuit now) and closes the context. Closing the context alone leaves each circuit disconnected but alive on the
    /// server — still subscribed to the live view and rendering — for the retention period (3 minutes).
    /// </summary>
    internal static async Task LeaveAsync(IBrowserContext context)
    {
        foreach (var page in context.Pages)
        {
            try
            {
                await page.GotoAsync("about:blank", new PageGotoOptions { Timeout = 30_000 });
            }
            catch (PlaywrightException)
            {
                // Best effort: the circuit then times out on the server as before.
            }
        }

        await context.CloseAsync();
    }

    /// <summary>The per-batch server work at this size: the shared view (once for all circuits) vs what each circuit did before.</summary>
    private static void ServerWork(ClusterInventory inventory)
    {
        var shared = new List<double>();
        var perCircuit = new List<double>();
        for (var i = 0; i < 7; i++)
        {
            var sw = Stopwatch.StartNew();
            _ = LiveClusterView.From(inventory, DateTimeOffset.UtcNow, i);
            shared.Add(sw.Elapsed.TotalMilliseconds);
            sw.Restart();
            _ = ClusterSnapshot.From(inventory);
            _ = MonitoringModel.Utilisation([], MetricSample.ClusterTotal, MetricSampler.Sample(inventory, DateTimeOffset.UtcNow).FirstOrDefault(s => s.Pool == MetricSample.ClusterTotal));
            _ = MonitoringModel.GpuHeatMap(inventory, ns => ns, 64, out _);
            perCircuit.Add(sw.Elapsed.TotalMilliseconds);
        }

        Console.WriteLine($"server work per change batch: shared view {Median(shared):0} ms once for all circuits (before: {Median(perCircuit):0} ms in every monitoring circuit)");
    }

    private static async Task<(IBrowserContext Context, IPage Page)> OpenAsync(IBrowser browser, string url, bool waitForData = true)
    {
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1440, Height = 900 } });
        context.SetDefaultTimeout(120_000);
        await context.AddInitScriptAsync(Observer);
        var page = await context.NewPageAsync();
        var circuit = page.WaitForWebSocketAsync(new PageWaitForWebSocketOptions { Predicate = ws => ws.Url.Contains("_blazor", StringComparison.Ordinal), Timeout = 120_000 });
        await page.GotoAsync(url);
        await circuit;
        if (!waitForData)
        {
            await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
            return (context, page);
        }

        await page.WaitForFunctionAsync("window.__studio && window.__studio.ready !== null", null, new PageWaitForFunctionOptions { Timeout = 120_000 });
        return (context, page);
    }

    /// <summary>Turns <paramref name="rate"/> running pods a second to Succeeded; returns when each page showed each change.</summary>
    private static async Task<Latency> DriveAsync(Kubernetes kube, IReadOnlyList<IPage> pages, int rate, int seconds, LiveClusterViews? views = null, ClusterInventory? inventory = null, RawCircuitFleet? fleet = null)
    {
        await Task.Delay(1500); // let the interactive render settle
        var published = new List<Sample>();
        ViewTap? subscription = null;
        double serverBaseline = 0;
        if (views is not null && inventory is not null)
        {
            subscription = await ViewTap.StartAsync(views, inventory, v => { lock (published) { published.Add(new Sample(EpochMs(), v.RunningPods ?? -1)); } });
            serverBaseline = subscription.Current.RunningPods ?? -1;
        }

        var baseline = new List<double>();
        foreach (var page in pages)
        {
            baseline.Add(await page.EvaluateAsync<double>("(() => { const v = window.__studio.values; return v.length ? v[v.length - 1].v : -1; })()"));
            await page.EvaluateAsync("window.__studio.values = []");
        }

        if (fleet is not null)
        {
            await fleet.MarkAsync();
        }

        var meter = new CpuMeter();
        var total = rate * seconds;
        var sent = new double[total];
        var wall = Stopwatch.StartNew();
        for (var k = 0; k < total; k++)
        {
            var i = _nextPod++;
            sent[k] = EpochMs();
            await kube.CoreV1.PatchNamespacedPodStatusAsync(new V1Patch("""{"status":{"phase":"Succeeded"}}""", V1Patch.PatchType.MergePatch), PodPreloader.Name(i), PodPreloader.Namespace(i));
            var due = TimeSpan.FromSeconds((k + 1) / (double)rate) - wall.Elapsed;
            if (due > TimeSpan.Zero)
            {
                await Task.Delay(due);
            }
        }

        var sending = wall.Elapsed;
        await Task.Delay(3000);
        RawResult? raw = null;
        if (fleet is not null)
        {
            // The raw circuits may take longer than the 3 s the pages get: wait until each shows the last change (15 s at most).
            await fleet.WaitAsync(total, TimeSpan.FromSeconds(15));
            var (processCores, machineCores) = meter.Stop();
            var (records, driverCores) = await fleet.DumpAsync();
            raw = RawResult.From(records, sent, processCores, driverCores, machineCores, sending);
        }

        var latencies = new List<double>();
        var missed = 0;
        for (var p = 0; p < pages.Count; p++)
        {
            var values = (await pages[p].EvaluateAsync<double[][]>("window.__studio.values.map(x => [x.t, x.v])")).Select(x => new Sample(x[0], x[1])).ToList();
            for (var k = 0; k < total; k++)
            {
                var expected = baseline[p] - (k + 1);
                var seen = values.FirstOrDefault(v => v.V <= expected);
                if (seen is null)
                {
                    missed++;
                }
                else
                {
                    latencies.Add(Math.Max(0, seen.T - sent[k]));
                }
            }
        }

        latencies.Sort();
        Latency? server = null;
        if (subscription is not null)
        {
            await subscription.DisposeAsync();
            var onServer = new List<double>();
            lock (published)
            {
                for (var k = 0; k < total; k++)
                {
                    if (published.FirstOrDefault(v => v.V <= serverBaseline - (k + 1)) is { } seen)
                    {
                        onServer.Add(Math.Max(0, seen.T - sent[k]));
                    }
                }
            }

            onServer.Sort();
            server = new Latency(Pct(onServer, 0.5), Pct(onServer, 0.99), onServer.Count, total, total - onServer.Count, null);
        }

        var finals = new List<double>();
        foreach (var page in pages)
        {
            finals.Add(await page.EvaluateAsync<double>("(() => { const v = window.__studio.values; return v.length ? v[v.length - 1].v : -1; })()"));
        }

        return new Latency(Pct(latencies, 0.5), Pct(latencies, 0.99), latencies.Count, total, missed, server) { Raw = raw, Finals = finals };
    }

    private static async Task Screenshots(IBrowser browser, string baseUrl, string folder)
    {
        foreach (var (path, file) in new[] { ("/clusters/sandbox", "cluster-5000-nodes.png"), ("/clusters/sandbox?tab=nodes", "cluster-5000-nodes-grid.png"), ("/monitoring", "monitoring-5000-nodes.png"), ("/", "overview-5000-nodes.png") })
        {
            var (context, page) = await OpenAsync(browser, baseUrl + path);
            await page.WaitForTimeoutAsync(2500);
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, file), FullPage = true });
            await LeaveAsync(context);
        }

        Console.WriteLine();
        Console.WriteLine($"screenshots in {folder}");
    }

    private static async Task MeasureCircuitsAsync(IBrowser browser, string url, string path, int circuits)
    {
        var contexts = new List<IBrowserContext>();
        for (var i = 0; i < 3; i++)
        {
            contexts.Add((await OpenAsync(browser, url, waitForData: false)).Context);
        }

        await Task.Delay(2000);
        var before = ServerMemory();
        await HoldAsync("before");
        var open = CircuitCounter.Open;
        for (var i = 0; i < circuits; i++)
        {
            contexts.Add((await OpenAsync(browser, url, waitForData: false)).Context);
        }

        await Task.Delay(3000);
        var after = ServerMemory();
        Console.WriteLine($"{path}: {CircuitCounter.Open - open} more circuits → {(after - before) / 1024.0 / circuits:0} KB per circuit (server managed memory after full GC, {before / 1048576.0:0.0} → {after / 1048576.0:0.0} MB)");
        Console.WriteLine(CircuitCensus.Describe());

        // The same pages 10 s later, nothing changing: what a circuit keeps vs what was still in flight (render batches
        // the browsers had not acknowledged yet, buffers) at the first measurement.
        await Task.Delay(10_000);
        var settled = ServerMemory();
        Console.WriteLine($"{path}: 10 s later → {(settled - before) / 1024.0 / circuits:0} KB per circuit ({settled / 1048576.0:0.0} MB)");
        await HoldAsync("after");
        foreach (var context in contexts)
        {
            await LeaveAsync(context);
        }

        await Task.Delay(3000);
    }

    /// <summary>The growth of free pooled buffers between two readings, and the memory per circuit without it.</summary>
    private static string PooledNote(long pooledBefore, long pooledNow, long grown, int circuits) =>
        $"free buffers in the byte pools (array pool + server block pool) {pooledNow - pooledBefore:+#,0;-#,0;0} bytes → {(grown - (pooledNow - pooledBefore)) / 1024.0 / circuits:0} KB per raw circuit without them";

    /// <summary>With STUDIO_BENCH_HOLD=N, pauses N s so a heap snapshot can be taken (dotnet-gcdump collect -p PID).</summary>
    private static async Task HoldAsync(string moment)
    {
        if (int.TryParse(Environment.GetEnvironmentVariable("STUDIO_BENCH_HOLD"), out var seconds) && seconds > 0)
        {
            Console.WriteLine($"HOLD {moment} {Environment.ProcessId}");
            await Task.Delay(TimeSpan.FromSeconds(seconds));
        }
    }

    private static long ServerMemory()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return GC.GetTotalMemory(true);
    }

    private static double EpochMs() => (DateTime.UtcNow - DateTime.UnixEpoch).TotalMilliseconds;

    private static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

    internal static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);

    internal static double Pct(List<double> sorted, double p) => sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)(p * sorted.Count))];

    private static int Arg(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
    }

    private sealed record Sample(double T, double V);

    private sealed record Latency(double P50, double P99, int Seen, int Sent, int Missed, Latency? Server = null)
    {
        public RawResult? Raw { get; init; }

        public IReadOnlyList<double> Finals { get; init; } = [];
    }
}
