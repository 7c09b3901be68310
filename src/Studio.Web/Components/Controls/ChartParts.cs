using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace Studio.Web.Components.Controls;

/// <summary>
/// What a chart component derives from its points (series, labels, options, tooltips), built once per points list and
/// variant and shared by every component showing the same list: the monitoring pages of a cluster all hold the same
/// points (<see cref="Studio.Web.Model.SharedChartHistory"/>), so 50 open pages hold one set of series instead of 50, and
/// the shared chart markup is found by the series instance without rebuilding its key.
/// </summary>
public static class ChartParts
{
    private static readonly ConditionalWeakTable<object, ConcurrentDictionary<string, object>> Built = [];

    /// <summary>The parts built by <paramref name="build"/> for <paramref name="points"/> and <paramref name="variant"/> (once while the list lives).</summary>
    public static T For<T>(object points, string variant, Func<T> build)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(points);
        ArgumentNullException.ThrowIfNull(build);
        return (T)Built.GetValue(points, _ => new ConcurrentDictionary<string, object>(StringComparer.Ordinal)).GetOrAdd(variant, _ => build());
    }
}
