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
        var every = Math.Max(1, points.Count / 6);
        string[] labels = [.. points.Select((p, i) => i % every == 0 || i == points.Count - 1 ? Time(p) : string.Empty)];
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
}
