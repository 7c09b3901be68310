using System.Globalization;

namespace Studio.Pages.Bench;

/// <summary>One raw circuit's record as the driver dumps it: index, stalled, baseline, counts, failure, value changes.</summary>
internal sealed record RawCircuitRecord(int Index, bool Stalled, long Baseline, int Batches, long Bytes, int Acknowledged, string? Failure, IReadOnlyList<(double T, long V)> Values)
{
    public long? Last => Values.Count > 0 ? Values[^1].V : null;

    public static RawCircuitRecord Parse(string line)
    {
        var p = line.Split(' ');
        var values = p.Skip(7).Select(x => x.Split(':')).Select(x => (double.Parse(x[0], CultureInfo.InvariantCulture), long.Parse(x[1], CultureInfo.InvariantCulture))).ToList();
        return new RawCircuitRecord(
            int.Parse(p[0], CultureInfo.InvariantCulture),
            p[1] == "1",
            long.Parse(p[2], CultureInfo.InvariantCulture),
            int.Parse(p[3], CultureInfo.InvariantCulture),
            long.Parse(p[4], CultureInfo.InvariantCulture),
            int.Parse(p[5], CultureInfo.InvariantCulture),
            p[6] == "-" ? null : p[6].Replace('_', ' '),
            values);
    }
}
