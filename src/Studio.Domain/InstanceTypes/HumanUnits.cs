using System.Globalization;
using Studio.Domain.Clusters;

namespace Studio.Domain.InstanceTypes;

/// <summary>Resource amounts in words people read: "1.5 CPU", "1.46 GiB", "1 GPU".</summary>
public static class HumanUnits
{
    private static readonly string[] ByteUnits = ["B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"];

    public static string Cpu(long millis) => (millis / 1000m).ToString("0.###", CultureInfo.InvariantCulture) + " CPU";

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

        return decimal.Round(value, 2, MidpointRounding.AwayFromZero).ToString("0.##", CultureInfo.InvariantCulture) + " " + ByteUnits[unit];
    }

    public static string Gpus(long gpus) => gpus == 1 ? "1 GPU" : $"{gpus.ToString(CultureInfo.InvariantCulture)} GPUs";

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
}
