using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Studio.Infrastructure.Live;
using Studio.Web.Hubs;

namespace Studio.Live.Bench;

/// <summary>
/// Meters the studio's process at the scenario's marks (<c>connect</c>: before the hub clients connect; <c>start</c>:
/// all subscribed, changes begin; <c>end</c>: every client has the final state or the wait ran out): CPU time over wall
/// time, managed heap, and the hub's instruments on the <c>Studio.Live</c> meter (the ones OpenTelemetry exports), read
/// with a <see cref="MeterListener"/>.
/// </summary>
internal sealed class ServerMeter : IDisposable
{
    private readonly LiveHubSubscriptions _subscriptions;
    private readonly SandboxProcess? _sandbox;
    private readonly bool _parallelDelivery;
    private readonly MeterListener _listener = new();
    private readonly Lock _gate = new();
    private long _serializations;
    private long _fellBehind;
    private long _catchUps;
    private (long Batches, TimeSpan Total, TimeSpan Longest) _deliveries;

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

    public ServerMeter(IServiceProvider services, SandboxProcess? sandbox = null)
    {
        _subscriptions = services.GetRequiredService<LiveHubSubscriptions>();
        _sandbox = sandbox;
        _parallelDelivery = services.GetRequiredService<IOptions<LiveHubOptions>>().Value.ParallelDelivery;
        var factory = services.GetRequiredService<IMeterFactory>();
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == LiveMetrics.MeterName && ReferenceEquals(instrument.Meter.Scope, factory))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, _, _) =>
        {
            switch (instrument.Name)
            {
                case LiveHubMetrics.Serializations:
                    Interlocked.Add(ref _serializations, value);
                    break;
                case LiveHubMetrics.FellBehind:
                    Interlocked.Add(ref _fellBehind, value);
                    break;
                case LiveHubMetrics.CatchUps:
                    Interlocked.Add(ref _catchUps, value);
                    break;
            }
        });
        _listener.SetMeasurementEventCallback<double>((instrument, value, _, _) =>
        {
            if (instrument.Name == LiveHubMetrics.Deliveries)
            {
                var took = TimeSpan.FromMilliseconds(value);
                lock (_gate)
                {
                    _deliveries = (_deliveries.Batches + 1, _deliveries.Total + took, took > _deliveries.Longest ? took : _deliveries.Longest);
                }
            }
        });
        _listener.Start();
    }

    private (long Batches, TimeSpan Total, TimeSpan Longest) Deliveries
    {
        get
        {
            lock (_gate)
            {
                return _deliveries;
            }
        }
    }

    public Task Mark(string mark)
    {
        switch (mark)
        {
            case "connect":
                _heapConnect = GC.GetTotalMemory(true);
                break;
            case "start":
                _heapStart = GC.GetTotalMemory(true);
                _atStart = (_subscriptions.Count, _subscriptions.PumpCount);
                _countersStart = Counters();
                _deliveriesStart = Deliveries;
                _process.Refresh();
                _cpuStart = _process.TotalProcessorTime;
                _sandboxCpuStart = _sandbox?.CpuTime ?? TimeSpan.Zero;
                _wall.Restart();
                break;
            case "end":
                _process.Refresh();
                _cpu = _process.TotalProcessorTime - _cpuStart;
                _sandboxCpu = (_sandbox?.CpuTime ?? TimeSpan.Zero) - _sandboxCpuStart;
                _wall.Stop();
                _countersEnd = Counters();
                _deliveriesEnd = Deliveries;
                _heapEnd = GC.GetTotalMemory(false);
                _heapEndRetained = GC.GetTotalMemory(true);
                _loadAverage = File.ReadAllText("/proc/loadavg").Split(' ')[0];
                break;
        }

        return Task.CompletedTask;
    }

    /// <summary>Whether the sandbox runs in a process of its own (<c>--sandbox-process</c>).</summary>
    public bool SandboxElsewhere => _sandbox is not null;

    public void Report(int clients, string note)
    {
        static double MiB(long bytes) => bytes / 1024.0 / 1024.0;
        var perConnection = clients > 0 ? (_heapStart - _heapConnect) / 1024.0 / clients : 0;
        var seconds = Math.Max(0.001, _wall.Elapsed.TotalSeconds);
        Console.WriteLine($"server CPU     : {_cpu.TotalSeconds / seconds:0.00} cores over {_wall.Elapsed.TotalSeconds:0.0} s ({note})");
        if (_sandbox is not null)
        {
            Console.WriteLine($"_sandbox CPU    : {_sandboxCpu.TotalSeconds / seconds:0.00} cores over the same time (the Kubernetes API server: PATCHes, the studio's watch and the raw watch)");
        }

        Console.WriteLine($"server memory  : heap {MiB(_heapStart):0.0} MiB with {clients} subscribed connection(s) ({perConnection:0.0} KiB per connection), +{MiB(_heapEnd - _heapStart):0.0} MiB during the changes (+{MiB(_heapEndRetained - _heapStart):0.0} MiB retained after a full GC), working set {MiB(_process.WorkingSet64):0} MiB");
        ReportDeliveries();
        Console.WriteLine($"server hub     : {_atStart.Subscriptions} subscription(s) in {_atStart.Pumps} shared pump(s); during the changes {_countersEnd.Serializations - _countersStart.Serializations} serializations, {_countersEnd.FellBehind - _countersStart.FellBehind} times a connection fell behind, {_countersEnd.CatchUps - _countersStart.CatchUps} catch-up snapshots; load average {_loadAverage}");
    }

    public void ReportDeliveries()
    {
        var batches = _deliveriesEnd.Batches - _deliveriesStart.Batches;
        var total = _deliveriesEnd.Total - _deliveriesStart.Total;
        Console.WriteLine($"server delivery: {batches} batches handed to the connections ({(_parallelDelivery ? "parallel slices" : "one thread")}), {total.TotalMilliseconds / Math.Max(1, batches):0.0} ms each on average, longest {_deliveriesEnd.Longest.TotalMilliseconds:0.0} ms");
    }

    private (long, long, long) Counters() => (Interlocked.Read(ref _serializations), Interlocked.Read(ref _fellBehind), Interlocked.Read(ref _catchUps));

    public void Dispose() => _listener.Dispose();
}
