using System.Globalization;
using MudBlazor;
using Studio.Web.Model;

namespace Studio.Web.Components.Controls;

/// <summary>A line chart's series, labels, options and tooltip texts (see <see cref="ChartParts"/>); read-only once built.</summary>
public sealed record LineChartParts(List<ChartSeries<double>> Series, string[] Labels, LineChartOptions Options, Func<IReadOnlyList<string>> Tips)
{
    /// <summary>Nothing to draw yet.</summary>
    public static readonly LineChartParts Empty = new([], [], new LineChartOptions(), () => []);

    /// <summary>
    /// The parts of a chart over time: one series per (name, value) pair, about six time labels on the x axis, a
    /// y axis from zero titled <paramref name="yTitle"/>, and a tooltip per point (its time, then <paramref name="tip"/>).
    /// Times show the weekday when the points span more than a day.
    /// </summary>
    public static LineChartParts OverTime(IReadOnlyList<UtilisationPoint> points, string yTitle, Func<UtilisationPoint, string> tip, params (string Name, Func<UtilisationPoint, double> Value)[] lines)
    {
        ArgumentNullException.ThrowIfNull(points);
        ArgumentNullException.ThrowIfNull(tip);
        ArgumentNullException.ThrowIfNull(lines);
        List<ChartSeries<double>> series = [.. lines.Select(l => new ChartSeries<double> { Name = l.Name, Data = new ChartData<double>(points.Select(l.Value).ToList()) })];
        var format = points.Count > 1 && points[^1].At - points[0].At > TimeSpan.FromDays(1) ? "ddd HH:mm" : "HH:mm";
        string Time(UtilisationPoint p) => p.At.ToLocalTime().ToString(format, CultureInfo.InvariantCulture);
        var labeled = LabeledIndexes(points.Count);
        string[] labels = [.. points.Select((p, i) => labeled.Contains(i) ? Time(p) : string.Empty)];
        var options = new LineChartOptions
        {
            ShowDataMarkers = false,
            ShowToolTips = false,
            YAxisRequireZeroPoint = true,
            MaxNumYAxisTicks = 5,
            ShowLegend = false,
            YAxisTicks = UtilisationChart.NiceTick(series.SelectMany(x => x.Data.Values).DefaultIfEmpty(0).Max()),
            YAxisTitle = yTitle,
        };
        return new LineChartParts(series, labels, options, () => [.. points.Select(p => $"{Time(p)} · {tip(p)}")]);
    }

    /// <summary>
    /// About six evenly spaced points get a time label, always the first and the last; a regular label closer to the last
    /// than half the spacing gives way to it, so the two never overlap.
    /// </summary>
    internal static HashSet<int> LabeledIndexes(int count)
    {
        var every = Math.Max(1, count / 6);
        var labeled = Enumerable.Range(0, count).Where(i => i % every == 0).ToHashSet();
        if (count > 0 && !labeled.Contains(count - 1))
        {
            var previous = labeled.Max();
            if (previous > 0 && (count - 1 - previous) * 2 < every)
            {
                labeled.Remove(previous);
            }

            labeled.Add(count - 1);
        }

        return labeled;
    }
}
