using MudBlazor;

namespace Studio.Web.Components.Controls;

/// <summary>A line chart's series, labels, options and tooltip texts (see <see cref="ChartParts"/>); read-only once built.</summary>
public sealed record LineChartParts(List<ChartSeries<double>> Series, string[] Labels, LineChartOptions Options, Func<IReadOnlyList<string>> Tips)
{
    /// <summary>Nothing to draw yet.</summary>
    public static readonly LineChartParts Empty = new([], [], new LineChartOptions(), () => []);
}
