using System.Diagnostics;
using System.Globalization;

namespace Studio.Pages.Bench;

/// <summary>
/// CPU over a window: this process's CPU time over wall time (cores), and the whole machine's busy time from
/// <c>/proc/stat</c> (cores busy, every process and session included).
/// </summary>
internal sealed class CpuMeter
{
    private readonly Stopwatch _wall = Stopwatch.StartNew();
    private readonly TimeSpan _process = Process.GetCurrentProcess().TotalProcessorTime;
    private readonly (long Busy, long Total) _machine = Machine();

    public (double ProcessCores, double MachineCores) Stop()
    {
        var wall = _wall.Elapsed.TotalSeconds;
        var process = (Process.GetCurrentProcess().TotalProcessorTime - _process).TotalSeconds / Math.Max(0.001, wall);
        var (busy, total) = Machine();
        var machine = total > _machine.Total ? (busy - _machine.Busy) / (double)(total - _machine.Total) * Environment.ProcessorCount : double.NaN;
        return (process, machine);
    }

    private static (long Busy, long Total) Machine()
    {
        if (!File.Exists("/proc/stat"))
        {
            return (0, 0);
        }

        // cpu  user nice system idle iowait irq softirq steal ...
        var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Take(8).Select(f => long.Parse(f, CultureInfo.InvariantCulture)).ToArray();
        var total = fields.Sum();
        var idle = fields[3] + fields[4];
        return (total - idle, total);
    }
}
