using Studio.Domain.Clusters;

namespace Studio.Web.Model;

/// <summary>Human units for resources and times, as pages show them.</summary>
public static class Format
{
    /// <summary>Cores from millicores, with thousands separators ("14,700", "0.5").</summary>
    public static string Cpu(long millis) =>
        millis % 1000 == 0
            ? (millis / 1000).ToString("#,0", System.Globalization.CultureInfo.InvariantCulture)
            : (millis / 1000.0).ToString("#,0.##", System.Globalization.CultureInfo.InvariantCulture);

    public static string Memory(long bytes) => bytes switch
    {
        >= 1L << 40 => $"{bytes / (double)(1L << 40):0.#} TiB",
        >= 1L << 30 => $"{bytes / (double)(1L << 30):0.#} GiB",
        >= 1L << 20 => $"{bytes / (double)(1L << 20):0.#} MiB",
        _ => $"{bytes} B",
    };

    public static string Usage(ResourceAmounts requested, ResourceAmounts allocatable, string dimension) => dimension switch
    {
        "cpu" => $"{Cpu(requested.CpuMillis)} / {Cpu(allocatable.CpuMillis)}",
        "memory" => $"{Memory(requested.MemoryBytes)} / {Memory(allocatable.MemoryBytes)}",
        _ => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{requested.Gpus:N0} / {allocatable.Gpus:N0}"),
    };

    /// <summary>"149,900 / 150,000": pods running of all pods ("—" for running until the inventory has synced).</summary>
    public static string RunningPods(int? running, int total) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{(running is null ? "—" : running.Value.ToString("N0", System.Globalization.CultureInfo.InvariantCulture))} / {total:N0}");

    public static double Percent(long used, long total) => total <= 0 ? 0 : Math.Clamp(100.0 * used / total, 0, 100);

    public static string Age(DateTimeOffset? since, DateTimeOffset now)
    {
        if (since is null)
        {
            return "—";
        }

        var age = now - since.Value;
        return age.TotalDays >= 1 ? $"{(int)age.TotalDays}d" : age.TotalHours >= 1 ? $"{(int)age.TotalHours}h" : age.TotalMinutes >= 1 ? $"{(int)age.TotalMinutes}m" : $"{Math.Max(0, (int)age.TotalSeconds)}s";
    }
}
