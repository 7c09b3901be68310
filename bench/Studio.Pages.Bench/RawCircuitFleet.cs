using System.Diagnostics;
using System.Globalization;
using System.Threading.Channels;

namespace Studio.Pages.Bench;

/// <summary>
/// The studio side of <see cref="RawCircuitDriver"/>: starts this exe again as the driver process with N raw circuits on a
/// page, and sends it the driver's line commands. Lines the driver prints that are not replies are echoed.
/// </summary>
internal sealed class RawCircuitFleet : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Channel<string> _replies = Channel.CreateUnbounded<string>();
    private bool _disposed;

    private RawCircuitFleet(Process process)
    {
        _process = process;
    }

    public int Count { get; private set; }

    public double OpenedInSeconds { get; private set; }

    public int ProcessId => _process.Id;

    public static async Task<RawCircuitFleet> StartAsync(string url, int count, int stall)
    {
        var self = Environment.ProcessPath!;
        var info = new ProcessStartInfo(self)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        if (Path.GetFileNameWithoutExtension(self) == "dotnet")
        {
            info.ArgumentList.Add(typeof(RawCircuitFleet).Assembly.Location);
        }

        foreach (var arg in new[] { "--raw-circuit-driver", url, count.ToString(CultureInfo.InvariantCulture), stall.ToString(CultureInfo.InvariantCulture) })
        {
            info.ArgumentList.Add(arg);
        }

        var process = Process.Start(info)!;
        var fleet = new RawCircuitFleet(process);
        _ = Task.Run(fleet.PumpAsync);
        var ready = (await fleet.ReplyAsync(TimeSpan.FromMinutes(5))).Split(' ');
        if (ready[0] != "@READY")
        {
            throw new InvalidOperationException("raw circuit driver: " + string.Join(' ', ready));
        }

        fleet.Count = int.Parse(ready[1], CultureInfo.InvariantCulture);
        fleet.OpenedInSeconds = double.Parse(ready[2], CultureInfo.InvariantCulture);
        return fleet;
    }

    /// <summary>Every circuit's current value becomes its baseline; the driver's CPU is counted from here.</summary>
    public Task MarkAsync() => CommandAsync("MARK", TimeSpan.FromSeconds(30));

    /// <summary>Waits until every circuit shows baseline−<paramref name="total"/>; returns how many do.</summary>
    public async Task<int> WaitAsync(int total, TimeSpan limit)
    {
        var reply = await CommandAsync(FormattableString.Invariant($"WAIT {total} {(int)limit.TotalMilliseconds}"), limit + TimeSpan.FromSeconds(30));
        return int.Parse(reply.Split(' ')[1], CultureInfo.InvariantCulture);
    }

    /// <summary>Every circuit's value changes since the mark, and the driver's CPU (cores) since the mark.</summary>
    public async Task<(IReadOnlyList<RawCircuitRecord> Circuits, double DriverCores)> DumpAsync()
    {
        var path = Path.Combine(Path.GetTempPath(), $"raw-circuits-{Environment.ProcessId}.txt");
        var reply = (await CommandAsync("DUMP " + path, TimeSpan.FromSeconds(60))).Split(' ');
        var cores = double.Parse(reply[1], CultureInfo.InvariantCulture) / Math.Max(0.001, double.Parse(reply[2], CultureInfo.InvariantCulture));
        var circuits = (await File.ReadAllLinesAsync(path)).Where(l => l.Length > 0).Select(RawCircuitRecord.Parse).ToList();
        File.Delete(path);
        return (circuits, cores);
    }

    private async Task<string> CommandAsync(string command, TimeSpan limit)
    {
        await _process.StandardInput.WriteLineAsync(command);
        await _process.StandardInput.FlushAsync();
        return await ReplyAsync(limit);
    }

    private async Task<string> ReplyAsync(TimeSpan limit)
    {
        using var timeout = new CancellationTokenSource(limit);
        try
        {
            return await _replies.Reader.ReadAsync(timeout.Token);
        }
        catch (ChannelClosedException)
        {
            throw new InvalidOperationException($"raw circuit driver exited (code {(_process.HasExited ? _process.ExitCode : -1)})");
        }
    }

    private async Task PumpAsync()
    {
        while (await _process.StandardOutput.ReadLineAsync() is { } line)
        {
            if (line.StartsWith('@'))
            {
                await _replies.Writer.WriteAsync(line);
            }
            else
            {
                Console.WriteLine("  [driver] " + line);
            }
        }

        _replies.Writer.TryComplete();
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        try
        {
            if (!_process.HasExited)
            {
                await CommandAsync("QUIT", TimeSpan.FromSeconds(20));
            }
        }
        catch (Exception e) when (e is InvalidOperationException or OperationCanceledException or IOException)
        {
            // The driver is gone or stuck: kill it below.
        }

        if (!_process.HasExited)
        {
            _process.Kill();
        }

        await _process.WaitForExitAsync();
        _process.Dispose();
    }
}
