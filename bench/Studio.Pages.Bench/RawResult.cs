namespace Studio.Pages.Bench;

/// <summary>
/// What the raw circuits saw of one run of changes: change <c>k</c> is delivered to a circuit by the first batch whose
/// <c>data-value</c> is at most baseline−(k+1) (as the Chromium observer counts), latency = that batch's arrival minus
/// the time its PATCH was sent, over every circuit × change pair. Circuits stalled on purpose are counted apart.
/// </summary>
internal sealed record RawResult(
    IReadOnlyList<RawCircuitRecord> Circuits,
    int Changes,
    int Complete,
    int Pairs,
    int Missed,
    double P50,
    double P99,
    double Max,
    double StudioCores,
    double DriverCores,
    double MachineCores,
    TimeSpan Sending,
    RawResult? Stalled)
{
    /// <summary>Each circuit's median change→batch latency, in the order the circuits were opened (ms).</summary>
    public IReadOnlyList<double> CircuitMedians { get; init; } = [];

    public static RawResult From(IReadOnlyList<RawCircuitRecord> records, double[] sent, double studioCores, double driverCores, double machineCores, TimeSpan sending)
    {
        var stalled = records.Where(r => r.Stalled).ToList();
        var result = Measure([.. records.Where(r => !r.Stalled)], sent, studioCores, driverCores, machineCores, sending);
        return stalled.Count == 0 ? result : result with { Stalled = Measure(stalled, sent, studioCores, driverCores, machineCores, sending) };
    }

    private static RawResult Measure(List<RawCircuitRecord> records, double[] sent, double studioCores, double driverCores, double machineCores, TimeSpan sending)
    {
        var latencies = new List<double>();
        var missed = 0;
        var complete = 0;
        var medians = new List<double>();
        foreach (var record in records)
        {
            var all = true;
            var own = new List<double>();
            var v = 0;
            for (var k = 0; k < sent.Length; k++)
            {
                // Values only go down during a run: walk them once.
                var expected = record.Baseline - (k + 1);
                while (v < record.Values.Count && record.Values[v].V > expected)
                {
                    v++;
                }

                if (v == record.Values.Count)
                {
                    missed++;
                    all = false;
                }
                else
                {
                    latencies.Add(Math.Max(0, record.Values[v].T - sent[k]));
                    own.Add(latencies[^1]);
                }
            }

            own.Sort();
            medians.Add(Program.Pct(own, 0.5));

            complete += all ? 1 : 0;
        }

        latencies.Sort();
        return new RawResult(records, sent.Length, complete, records.Count * sent.Length, missed, Program.Pct(latencies, 0.5), Program.Pct(latencies, 0.99), latencies.Count > 0 ? latencies[^1] : double.NaN, studioCores, driverCores, machineCores, sending, null) { CircuitMedians = medians };
    }
}
