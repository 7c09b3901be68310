using Microsoft.EntityFrameworkCore;
using Studio.Infrastructure.Persistence;

namespace Studio.Infrastructure.Monitoring;

/// <summary>Reads sampled history for the charts: one indexed range query, thinned to at most a number of points.</summary>
public sealed class MetricHistory(IDbContextFactory<StudioDbContext> contexts)
{
    /// <summary>
    /// Samples of a cluster in [from, to], oldest first, for the given pool (or <see cref="MetricSample.ClusterTotal"/>;
    /// null for every pool), keeping at most <paramref name="maxPoints"/> instants (evenly spaced ones are kept).
    /// </summary>
    public async Task<IReadOnlyList<MetricSample>> RangeAsync(Guid clusterId, DateTimeOffset from, DateTimeOffset to, string? pool, int maxPoints, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var query = db.MetricSamples.AsNoTracking().Where(s => s.ClusterId == clusterId && s.At >= from && s.At <= to);
        if (pool is not null)
        {
            query = query.Where(s => s.Pool == pool);
        }

        var rows = await query.OrderBy(s => s.At).ThenBy(s => s.Pool).ToListAsync(cancellationToken);
        var instants = rows.Select(r => r.At).Distinct().ToList();
        if (instants.Count <= maxPoints || maxPoints <= 0)
        {
            return rows;
        }

        var step = (double)instants.Count / maxPoints;
        var keep = Enumerable.Range(0, maxPoints).Select(i => instants[(int)(i * step)]).Append(instants[^1]).ToHashSet();
        return [.. rows.Where(r => keep.Contains(r.At))];
    }
}
