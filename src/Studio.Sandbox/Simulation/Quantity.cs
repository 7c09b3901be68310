using System.Globalization;

namespace Studio.Sandbox.Simulation;

/// <summary>Parses Kubernetes resource quantities ("500m", "2", "16Gi", "1e3") into millis or plain units.</summary>
internal static class Quantity
{
    /// <summary>The quantity in thousandths (cpu millicores).</summary>
    public static long Milli(string? q) => (long)Math.Ceiling(Parse(q) * 1000);

    /// <summary>The quantity rounded up to a whole number (bytes, GPUs, pods).</summary>
    public static long Whole(string? q) => (long)Math.Ceiling(Parse(q));

    public static double Parse(string? q)
    {
        if (string.IsNullOrWhiteSpace(q))
        {
            return 0;
        }

        q = q.Trim();
        (string Suffix, double Factor)[] suffixes =
        [
            ("Ki", 1024d), ("Mi", 1024d * 1024), ("Gi", 1024d * 1024 * 1024), ("Ti", 1024d * 1024 * 1024 * 1024),
            ("Pi", 1024d * 1024 * 1024 * 1024 * 1024), ("Ei", 1024d * 1024 * 1024 * 1024 * 1024 * 1024),
            ("n", 1e-9), ("u", 1e-6), ("m", 1e-3), ("k", 1e3), ("M", 1e6), ("G", 1e9), ("T", 1e12), ("P", 1e15), ("E", 1e18),
        ];
        foreach (var (suffix, factor) in suffixes)
        {
            if (q.EndsWith(suffix, StringComparison.Ordinal) && double.TryParse(q[..^suffix.Length], NumberStyles.Float, CultureInfo.InvariantCulture, out var v))
            {
                return v * factor;
            }
        }

        return double.TryParse(q, NumberStyles.Float, CultureInfo.InvariantCulture, out var plain) ? plain : 0;
    }
}
