using System.Diagnostics;
using Microsoft.Playwright;
using Studio.Infrastructure.Kubernetes.Inventory;

namespace Studio.Pages.Bench;

/// <summary>
/// The cluster drill-down at 5,000 nodes / 150,000 pods: time to data of the node page and the pods tab next to the
/// nodes grid (the baseline), in Chromium, and the server-side reads alone (in-process). Printed as ratios to the baseline.
/// </summary>
internal static class DrillDown
{
    /// <summary>Records <c>performance.now()</c> when the first element matching the page's data selector exists.</summary>
    private static string Observer(string selector) => $$"""
        (() => {
          window.__drill = { ready: null };
          const check = () => {
            if (window.__drill.ready === null && document.querySelector('{{selector}}')) window.__drill.ready = performance.now();
          };
          new MutationObserver(check).observe(document, { subtree: true, childList: true });
        })();
        """;

    public static async Task RunAsync(IBrowser browser, string baseUrl, ClusterInventory inventory, int runs, string artifacts)
    {
        // The busiest node: the node page's work grows with the pods bound to it.
        var busiest = inventory.PodPhases().Where(p => p.Key.Length > 0).MaxBy(p => p.Value.Total).Key;
        var someNamespace = inventory.Pods.Snapshot().First().Namespace;
        var pages = new (string Name, string Path, string Selector)[]
        {
            ("nodes grid (baseline)", "/clusters/sandbox?tab=nodes", "[data-testid=nodes-grid] tbody tr.mud-table-row"),
            ("node page, its pods", $"/clusters/sandbox/nodes/{busiest}", "[data-testid=node-pods] tbody tr"),
            ("pods tab", "/clusters/sandbox?tab=pods", "[data-testid=pods-grid] tbody tr.mud-table-row"),
            ("pods tab, phase Running", "/clusters/sandbox?tab=pods&phase=Running", "[data-testid=pods-grid] tbody tr.mud-table-row"),
            ($"pods tab, namespace {someNamespace}", $"/clusters/sandbox?tab=pods&namespace={someNamespace}", "[data-testid=pods-grid] tbody tr.mud-table-row"),
        };

        Console.WriteLine();
        Console.WriteLine($"Drill-down: {inventory.Nodes.Count:N0} nodes, {inventory.Pods.Count:N0} pods; busiest node {busiest} ({inventory.PodsBoundTo(busiest).Count} pods)");
        Console.WriteLine($"| page | time to data, median of {runs} | max | ratio to the nodes grid |");
        Console.WriteLine("|---|---|---|---|");
        double? baseline = null;
        foreach (var (name, path, selector) in pages)
        {
            await OpenAsync(browser, baseUrl + path, selector); // warm-up
            var times = new List<double>();
            for (var i = 0; i < runs; i++)
            {
                var (context, page, ready) = await OpenAsync(browser, baseUrl + path, selector);
                times.Add(ready);
                if (i == 0)
                {
                    await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(artifacts, $"drill-{pages.ToList().FindIndex(p => p.Path == path)}.png"), FullPage = true });
                }

                await Program.LeaveAsync(context);
            }

            var median = Program.Median(times);
            baseline ??= median;
            Console.WriteLine($"| {name} | {median:0} ms | {times.Max():0} ms | {median / baseline.Value:0.00}× |");
        }

        // The reads alone, on the server: what each page (and the API) asks the inventory for.
        Console.WriteLine();
        Console.WriteLine("| server read (in-process, median of 20) | time | ratio to the nodes grid's read |");
        Console.WriteLine("|---|---|---|");
        double? nodesRead = null;
        foreach (var (name, read) in new (string, Action)[]
        {
            ("nodes grid: NodeQuery, first page", () => new NodeQuery().Run(inventory)),
            ("node page: NodeDetail.Read (busiest node)", () => NodeDetail.Read(inventory, busiest)),
            ("pods tab: PodQuery, first page", () => new PodQuery().Run(inventory)),
            ("pods tab: PodQuery, sorted by age, page 100", () => new PodQuery(SortBy: "age", Skip: 4950).Run(inventory)),
            ("pods tab: PodQuery, name contains", () => new PodQuery(Search: "7").Run(inventory)),
        })
        {
            var t = Time(read);
            nodesRead ??= t;
            Console.WriteLine($"| {name} | {t:0.00} ms | {t / nodesRead.Value:0.00}× |");
        }
    }

    private static double Time(Action read)
    {
        read();
        var times = new List<double>();
        for (var i = 0; i < 20; i++)
        {
            var watch = Stopwatch.StartNew();
            read();
            times.Add(watch.Elapsed.TotalMilliseconds);
        }

        return Program.Median(times);
    }

    private static async Task<(IBrowserContext Context, IPage Page, double Ready)> OpenAsync(IBrowser browser, string url, string selector)
    {
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1440, Height = 900 } });
        context.SetDefaultTimeout(120_000);
        await context.AddInitScriptAsync(Observer(selector));
        var page = await context.NewPageAsync();
        await page.GotoAsync(url);
        // Polled from outside (page.WaitForFunction evaluates a string in the page, which the studio's CSP refuses); the
        // figure is the observer's own timestamp, so the polling interval does not add to it.
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var ready = await page.EvaluateAsync<double?>("window.__drill ? window.__drill.ready : null");
            if (ready is { } at)
            {
                return (context, page, at);
            }

            if (deadline.Elapsed > TimeSpan.FromMinutes(2))
            {
                throw new TimeoutException($"{url}: no {selector} within 2 minutes.");
            }

            await Task.Delay(50);
        }
    }
}
