using Studio.Infrastructure.Monitoring;
using Studio.Infrastructure.Persistence;

namespace Studio.Web.Model;

/// <summary>
/// The sampled history the monitoring charts draw, loaded once per (cluster, pool, range) for every circuit and reused
/// while it is fresh, and the chart points built from it once per "now" sample of the shared live view. Every monitoring
/// page and wall on a cluster then holds the same lists: no per-circuit copy of the samples, points or chart series, and
/// the charts' 10 s refresh is computed once instead of once per open page.
/// </summary>
public sealed class SharedChartHistory(MetricHistory history, TimeProvider clock)
{
    /// <summary>How many (cluster, pool, range) histories are kept; the least recently loaded goes first.</summary>
    public const int Capacity = 64;

    private readonly Lock _gate = new();
    private readonly Dictionary<(Guid Cluster, string Pool, TimeSpan Range), Entry> _entries = [];

    /// <summary>How long a loaded history is reused (a new sample is written every 30 s by default).</summary>
    public TimeSpan MaxAge { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How many histories were loaded from the database (not served from memory); for tests.</summary>
    public int Loads { get; private set; }

    /// <summary>
    /// The pool's samples over the range (at most <paramref name="points"/> instants), shared while younger than
    /// <see cref="MaxAge"/>. A page that is <paramref name="opening"/> reads them again (it shows what was sampled until
    /// now), unless a read is still in flight: pages opening at once share it.
    /// </summary>
    public async Task<IReadOnlyList<MetricSample>> SamplesAsync(Guid cluster, string pool, TimeSpan range, int points, bool opening, CancellationToken cancellationToken)
    {
        var key = (cluster, pool, range);
        Task<IReadOnlyList<MetricSample>> loading;
        lock (_gate)
        {
            var now = clock.GetUtcNow();
            if (_entries.TryGetValue(key, out var entry) && (opening ? !entry.Samples.IsCompleted : now - entry.LoadedAt < MaxAge && entry.Samples.IsCompletedSuccessfully))
            {
                loading = entry.Samples;
            }
            else
            {
                var previous = entry is { Samples.IsCompletedSuccessfully: true } ? entry.Samples.Result : null;
                loading = SameOrNewAsync(previous, history.RangeAsync(cluster, now - range, now, pool, points, CancellationToken.None));
                _entries[key] = new Entry(now, loading);
                Loads++;
                if (_entries.Count > Capacity)
                {
                    _entries.Remove(_entries.MinBy(e => e.Value.LoadedAt).Key);
                }
            }
        }

        return await loading.WaitAsync(cancellationToken);
    }

    /// <summary>
    /// The samples read, or the list already held when the read found the same stored samples (nothing sampled or
    /// dropped since): pages opening one after another then hold one list, and with it one set of chart points and series.
    /// </summary>
    private static async Task<IReadOnlyList<MetricSample>> SameOrNewAsync(IReadOnlyList<MetricSample>? previous, Task<IReadOnlyList<MetricSample>> read)
    {
        var samples = await read;
        return previous is not null && previous.Count == samples.Count && previous.Select(s => s.Id).SequenceEqual(samples.Select(s => s.Id)) ? previous : samples;
    }

    /// <summary>The latest loaded history of (cluster, pool, range), if any: pages move to it so they all hold the same list.</summary>
    public IReadOnlyList<MetricSample>? Latest(Guid cluster, string pool, TimeSpan range)
    {
        lock (_gate)
        {
            return _entries.TryGetValue((cluster, pool, range), out var entry) && entry.Samples.IsCompletedSuccessfully ? entry.Samples.Result : null;
        }
    }

    /// <summary>
    /// The chart points for <paramref name="samples"/> ending with <paramref name="now"/> (the shared view's chart sample):
    /// the same list for every caller with the same two, until either moves on.
    /// </summary>
    public IReadOnlyList<UtilisationPoint> Points(IReadOnlyList<MetricSample> samples, string pool, MetricSample? now)
    {
        lock (_gate)
        {
            foreach (var entry in _entries.Values)
            {
                if (entry.Samples.IsCompletedSuccessfully && ReferenceEquals(entry.Samples.Result, samples))
                {
                    if (entry.Points is { } made && ReferenceEquals(made.Now, now) && made.Pool == pool)
                    {
                        return made.Points;
                    }

                    var points = MonitoringModel.Utilisation(samples, pool, now);
                    entry.Points = (now, pool, points);
                    return points;
                }
            }
        }

        // Not (or no longer) a shared history: computed for this caller only.
        return MonitoringModel.Utilisation(samples, pool, now);
    }

    private sealed class Entry(DateTimeOffset loadedAt, Task<IReadOnlyList<MetricSample>> samples)
    {
        public DateTimeOffset LoadedAt { get; } = loadedAt;

        public Task<IReadOnlyList<MetricSample>> Samples { get; } = samples;

        public (MetricSample? Now, string Pool, IReadOnlyList<UtilisationPoint> Points)? Points { get; set; }
    }
}
