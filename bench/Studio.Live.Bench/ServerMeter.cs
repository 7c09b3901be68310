using System.Diagnostics;
using Studio.Web.Live;

namespace Studio.Live.Bench;

/// <summary>
/// Meters the studio's process at the scenario's marks (<c>connect</c>: before the hub clients connect; <c>start</c>:
/// all subscribed, changes begin; <c>end</c>: every client has the final state or the wait ran out): CPU time over wall
/// time, managed heap, and the hub's own counters.
/// </summary>
internal sealed class ServerMeter(LiveHubSubscriptions subscriptions, SandboxProcess? sandbox = null)
{
    private readonly Process _process = Process.GetCurrentProcess();
    private readonly Stopwatch _wall = new();
    private long _heapConnect;
    private long _heapStart;
    private long _heapEnd;
    private long _heapEndRetained;
    private TimeSpan _cpuStart;
    private TimeSpan _cpu;
    private TimeSpan _sandboxCpuStart;
    private TimeSpan _sandboxCpu;
    private (int Subscriptions, int Pumps) _atStart;
    private (long Batches, TimeSpan Total, TimeSpan Longest) _deliveriesStart;
    private (long Batches, TimeSpan Total, TimeSpan Longest) _deliveriesEnd;
    private (long Serializations, long FellBehind, long CatchUps) _countersStart;
    private (long Serializations, long FellBehind, long CatchUps) _countersEnd;
    private string _loadAverage = "?";

    public Task Mark(string mark)
    {
        switch (mark)
        {
            case "connect":
                _heapConnect = GC.GetTotalMemory(true);
                break;
            case "start":
                _heapStart = GC.GetTotalMemory(true);
                _atStart = (subscriptions.Count, subscriptions.PumpCount);
                _countersStart = Counters();
                _deliveriesStart = subscriptions.Deliveries;
                _process.Refresh();
                _cpuStart = _process.TotalProcessorTime;
                _sandboxCpuStart = sandbox?.CpuTime ?? TimeSpan.Zero;
                _wall.Restart();
                break;
            case "end":
                _process.Refresh();
                _cpu = _process.TotalProcessorTime - _cpuStart;
                _sandboxCpu = (sandbox?.CpuTime ?? TimeSpan.Zero) - _sandboxCpuStart;
                _wall.Stop();
                _countersEnd = Counters();
                _deliveriesEnd = subscriptions.Deliveries;
                _heapEnd = GC.GetTotalMemory(false);
                _heapEndRetained = GC.GetTotalMemory(true);
                _loadAverage = File.ReadAllText("/proc/loadavg").Split(' ')[0];
                break;
        }

        return Task.CompletedTask;
    }

    /// <summary>Whether the sandbox runs in a process of its own (<c>--sandbox-process</c>).</summary>
    public bool SandboxElsewhere => sandbox is not null;

    public void Report(int clients, string note)
    {
        static double MiB(long bytes) => bytes / 1024.0 / 1024.0;
        var perConnection = clients > 0 ? (_heapStart - _heapConnect) / 1024.0 / clients : 0;
        var seconds = Math.Max(0.001, _wall.Elapsed.TotalSeconds);
        Console.WriteLine($"server CPU     : {_cpu.TotalSeconds / seconds:0.00} cores over {_wall.Elapsed.TotalSeconds:0.0} s ({note})");
        if (sandbox is not null)
        {
            Console.WriteLine($"sandbox CPU    : {_sandboxCpu.TotalSeconds / seconds:0.00} cores over the same time (the Kubernetes API server: PATCHes, the studio's watch and the raw watch)");
        }

        Console.WriteLine($"server memory  : heap {MiB(_heapStart):0.0} MiB with {clients} subscribed connection(s) ({perConnection:0.0} KiB per connection), +{MiB(_heapEnd - _heapStart):0.0} MiB during the changes (+{MiB(_heapEndRetained - _heapStart):0.0} MiB retained after a full GC), working set {MiB(_process.WorkingSet64):0} MiB");
        ReportDeliveries();
        Console.WriteLine($"server hub     : {_atStart.Subscriptions} subscription(s) in {_atStart.Pumps} shared pump(s); during the changes {_countersEnd.Serializations - _countersStart.Serializations} serializations, {_countersEnd.FellBehind - _countersStart.FellBehind} times a connection fell behind, {_countersEnd.CatchUps - _countersStart.CatchUps} catch-up snapshots; load average {_loadAverage}");
    }

    public void ReportDeliveries()
    {
        var batches = _deliveriesEnd.Batches - _deliveriesStart.Batches;
        var total = _deliveriesEnd.Total - _deliveriesStart.Total;
        Console.WriteLine($"server delivery: {batches} batches handed to the connections ({(subscriptions.ParallelDelivery ? "parallel slices" : "one thread")}), {total.TotalMilliseconds / Math.Max(1, batches):0.0} ms each on average, longest {_deliveriesEnd.Longest.TotalMilliseconds:0.0} ms");
    }

    private (long, long, long) Counters() => (subscriptions.Serializations, subscriptions.FellBehind, subscriptions.CatchUps);
}
