using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Studio.Pages.Bench;

/// <summary>
/// The raw circuits' own process (this exe with <c>--raw-circuit-driver URL N STALL</c>), so that their CPU and memory are
/// not the studio's. It opens N <see cref="RawCircuit"/>s (the last STALL of them stop acknowledging render batches after
/// MARK, a hidden self-check), pings each every 10 s, and answers line commands on stdin with <c>@</c>-lines on stdout:
/// <c>MARK</c> (baseline = each circuit's current value; CPU mark), <c>WAIT total ms</c> (until every circuit shows
/// baseline−total or the time is up), <c>DUMP path</c> (every circuit's value changes since MARK and this process's CPU
/// since MARK), <c>QUIT</c>.
/// </summary>
internal static class RawCircuitDriver
{
    public static async Task<int> RunAsync(string[] args)
    {
        var page = new Uri(args[1]);
        var count = int.Parse(args[2], CultureInfo.InvariantCulture);
        var stall = int.Parse(args[3], CultureInfo.InvariantCulture);
        var circuits = Enumerable.Range(0, count).Select(i => new RawCircuit(i)).ToList();
        using var stopping = new CancellationTokenSource();
        var opening = Stopwatch.StartNew();

        // Open five at a time (a browser tab at a time would be one; 50 at once makes the first render queue up).
        using (var gate = new SemaphoreSlim(5))
        {
            await Task.WhenAll(circuits.Select(async c =>
            {
                await gate.WaitAsync();
                try
                {
                    await c.StartAsync(page, stopping.Token);
                }
                finally
                {
                    gate.Release();
                }
            }));
        }

        var pinging = Task.Run(async () =>
        {
            while (!stopping.IsCancellationRequested)
            {
                await Task.Delay(10_000, stopping.Token).ContinueWith(_ => { }, TaskScheduler.Default);
                foreach (var c in circuits)
                {
                    await c.PingAsync(stopping.Token).ContinueWith(_ => { }, TaskScheduler.Default);
                }
            }
        });

        Console.WriteLine($"@READY {count} {opening.Elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)}");
        var baselines = new long[count];
        var process = Process.GetCurrentProcess();
        var cpuMark = TimeSpan.Zero;
        var wallMark = Stopwatch.StartNew();
        while (Console.ReadLine() is { } line)
        {
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            switch (parts.FirstOrDefault())
            {
                case "MARK":
                    for (var i = 0; i < count; i++)
                    {
                        baselines[i] = circuits[i].Last ?? -1;
                        circuits[i].ClearValues();
                        circuits[i].Stalled = i >= count - stall;
                    }

                    process.Refresh();
                    cpuMark = process.TotalProcessorTime;
                    wallMark.Restart();
                    Console.WriteLine("@MARKED");
                    break;
                case "WAIT":
                {
                    var total = long.Parse(parts[1], CultureInfo.InvariantCulture);
                    var until = Stopwatch.StartNew();
                    var limit = TimeSpan.FromMilliseconds(int.Parse(parts[2], CultureInfo.InvariantCulture));
                    int complete;
                    while ((complete = Enumerable.Range(0, count).Count(i => circuits[i].Last <= baselines[i] - total)) < count && until.Elapsed < limit)
                    {
                        await Task.Delay(100);
                    }

                    Console.WriteLine($"@WAITED {complete}");
                    break;
                }

                case "DUMP":
                {
                    process.Refresh();
                    var cpu = (process.TotalProcessorTime - cpuMark).TotalSeconds;
                    var wall = wallMark.Elapsed.TotalSeconds;
                    var text = new StringBuilder();
                    for (var i = 0; i < count; i++)
                    {
                        var c = circuits[i];
                        var (batches, bytes, acknowledged) = c.Counts;
                        text.Append(CultureInfo.InvariantCulture, $"{i} {(c.Stalled ? 1 : 0)} {baselines[i]} {batches} {bytes} {acknowledged} {c.Failure?.Replace(' ', '_') ?? "-"}");
                        foreach (var (t, v) in c.Values)
                        {
                            text.Append(CultureInfo.InvariantCulture, $" {t:0.###}:{v}");
                        }

                        text.Append('\n');
                    }

                    await File.WriteAllTextAsync(parts[1], text.ToString());
                    Console.WriteLine(FormattableString.Invariant($"@DUMPED {cpu:0.000} {wall:0.000}"));
                    break;
                }

                case "QUIT":
                    await stopping.CancelAsync();
                    await pinging;
                    await Task.WhenAll(circuits.Select(c => c.DisposeAsync().AsTask()));
                    Console.WriteLine("@QUIT");
                    return 0;
            }
        }

        return 0;
    }
}
