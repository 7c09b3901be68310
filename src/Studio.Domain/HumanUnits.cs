using System.Globalization;
using Studio.Domain.Clusters;
using Studio.Domain.InstanceTypes;

namespace Studio.Domain;

/// <summary>
/// The one place where amounts, durations and times become words people read, for messages and pages alike.
/// One rule each: CPUs exact to the millicore with thousands separators ("14,700", "0.125 CPU"); bytes in the largest
/// binary unit that keeps the number at least 1, two decimals at most ("1.46 GiB"); durations in their two largest
/// units ("12m 05s"); ages in their largest unit ("5m"); times as local "yyyy-MM-dd HH:mm:ss"; "—" for nothing.
/// </summary>
public static class HumanUnits
{
    /// <summary>What a missing amount or time shows.</summary>
    public const string None = "—";

    private static readonly string[] ByteUnits = ["B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"];

    /// <summary>Cores from millicores, exact, with thousands separators: "14,700", "0.5", "113,960.25".</summary>
    public static string Cores(long millis) => (millis / 1000m).ToString("#,0.###", CultureInfo.InvariantCulture);

    /// <summary>"1.5 CPU", "14,700 CPU".</summary>
    public static string Cpu(long millis) => Cores(millis) + " CPU";

    /// <summary>Bytes in the largest binary unit that keeps the number at least 1, two decimals at most: 1500Mi is "1.46 GiB".</summary>
    public static string Bytes(long bytes)
    {
        decimal value = bytes;
        var unit = 0;
        while (Math.Abs(value) >= 1024m && unit < ByteUnits.Length - 1)
        {
            value /= 1024m;
            unit++;
        }

        return decimal.Round(value, 2, MidpointRounding.AwayFromZero).ToString("#,0.##", CultureInfo.InvariantCulture) + " " + ByteUnits[unit];
    }

    public static string Gpus(long gpus) => gpus == 1 ? "1 GPU" : $"{Count(gpus)} GPUs";

    /// <summary>A whole number with thousands separators: "4,500".</summary>
    public static string Count(long count) => count.ToString("#,0", CultureInfo.InvariantCulture);

    /// <summary>"4 CPU · 16 GiB" plus " · 1 GPU" when there are GPUs.</summary>
    public static string Summary(ResourceAmounts amounts) =>
        $"{Cpu(amounts.CpuMillis)} · {Bytes(amounts.MemoryBytes)}" + (amounts.Gpus > 0 ? " · " + Gpus(amounts.Gpus) : string.Empty);

    /// <summary>How a quantity reads in human units: CPU for <paramref name="cpu"/>, bytes otherwise; null when it does not parse.</summary>
    public static string? Describe(string? quantity, bool cpu)
    {
        if (Quantity.Parse(quantity, out _) is not { } q)
        {
            return null;
        }

        return cpu ? Cpu(q.CeilingMillis) : Bytes(q.CeilingUnits);
    }

    /// <summary>"requested / allocatable" of one dimension (<c>cpu</c> in cores, <c>memory</c> in bytes, otherwise GPUs): "14,700 / 113,960".</summary>
    public static string Usage(ResourceAmounts requested, ResourceAmounts allocatable, string dimension) => dimension switch
    {
        "cpu" => $"{Cores(requested.CpuMillis)} / {Cores(allocatable.CpuMillis)}",
        "memory" => $"{Bytes(requested.MemoryBytes)} / {Bytes(allocatable.MemoryBytes)}",
        _ => $"{Count(requested.Gpus)} / {Count(allocatable.Gpus)}",
    };

    /// <summary>"149,900 / 150,000": pods running of all pods ("—" for running until the inventory has synced).</summary>
    public static string RunningPods(int? running, int total) => $"{(running is { } r ? Count(r) : None)} / {Count(total)}";

    /// <summary>The share of <paramref name="used"/> in <paramref name="total"/>, 0 to 100.</summary>
    public static double Percent(long used, long total) => total <= 0 ? 0 : Math.Clamp(100.0 * used / total, 0, 100);

    /// <summary>How long ago, in its largest unit: "45s", "5m", "3h", "2d" — or "—" for nothing.</summary>
    public static string Age(DateTimeOffset? since, DateTimeOffset now)
    {
        if (since is null)
        {
            return None;
        }

        var age = now - since.Value;
        return age.TotalDays >= 1 ? $"{(int)age.TotalDays}d" : age.TotalHours >= 1 ? $"{(int)age.TotalHours}h" : age.TotalMinutes >= 1 ? $"{(int)age.TotalMinutes}m" : $"{Math.Max(0, (int)age.TotalSeconds)}s";
    }

    /// <summary>"45s", "12m 05s", "3h 07m", "2d 4h" — or "—" for nothing.</summary>
    public static string Duration(TimeSpan? duration)
    {
        if (duration is not { } d || d < TimeSpan.Zero)
        {
            return None;
        }

        return d.TotalDays >= 1 ? $"{(int)d.TotalDays}d {d.Hours}h"
            : d.TotalHours >= 1 ? $"{(int)d.TotalHours}h {d.Minutes:00}m"
            : d.TotalMinutes >= 1 ? $"{(int)d.TotalMinutes}m {d.Seconds:00}s"
            : $"{(int)d.TotalSeconds}s";
    }

    /// <summary>The run time of something that started: from start to end, or to now while it runs; null before it started.</summary>
    public static TimeSpan? RunTime(DateTimeOffset? startedAt, DateTimeOffset? endedAt, DateTimeOffset now) =>
        startedAt is null ? null : (endedAt ?? now) - startedAt.Value;

    /// <summary>A moment in local time, to the second: "2026-12-07 06:21:12" — or "—" for nothing.</summary>
    public static string Timestamp(DateTimeOffset? at) =>
        at is null ? None : at.Value.ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
}
