using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using Studio.Web.Components.Controls;
using Studio.Web.Tests.Shared;

namespace Studio.Web.Tests.Controls;

/// <summary>Charts rendered once per distinct content and shared by every page that shows them.</summary>
public sealed class ChartMarkupTests : StudioTestContext
{
    private static List<ChartSeries<double>> Series(params double[] values) =>
        [new ChartSeries<double> { Name = "Requested", Data = new ChartData<double>([.. values]) }];

    private static LineChartOptions Options(int ticks) => new() { ShowDataMarkers = false, ShowToolTips = false, YAxisTicks = ticks, ShowLegend = false };

    [Fact]
    public async Task GetAsync_ForTheSameChartFromTwoPages_RendersOnceAndSharesTheMarkup()
    {
        var charts = Services.GetRequiredService<ChartMarkup>();

        var first = await charts.GetAsync(ChartType.Line, Series(1, 2, 3), ["10:00", "", "10:02"], Options(1), "100%", "220px");
        var second = await charts.GetAsync(ChartType.Line, Series(1, 2, 3), ["10:00", "", "10:02"], Options(1), "100%", "220px");

        Assert.Equal(1, charts.Rendered);
        Assert.Same(first, second);
        Assert.Contains("mud-chart-line", first, StringComparison.Ordinal);
        Assert.Contains("10:02", first, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { 1.0, 2.0, 4.0 }, "10:02", 1, "220px")]
    [InlineData(new[] { 1.0, 2.0, 3.0 }, "10:03", 1, "220px")]
    [InlineData(new[] { 1.0, 2.0, 3.0 }, "10:02", 2, "220px")]
    [InlineData(new[] { 1.0, 2.0, 3.0 }, "10:02", 1, "380px")]
    public async Task GetAsync_WhenValuesLabelsOptionsOrSizeDiffer_RendersAnotherChart(double[] values, string lastLabel, int ticks, string height)
    {
        var charts = Services.GetRequiredService<ChartMarkup>();
        var first = await charts.GetAsync(ChartType.Line, Series(1, 2, 3), ["10:00", "", "10:02"], Options(1), "100%", "220px");

        var other = await charts.GetAsync(ChartType.Line, Series(values), ["10:00", "", lastLabel], Options(ticks), "100%", height);

        Assert.Equal(2, charts.Rendered);
        Assert.NotEqual(first, other);
    }

    [Fact]
    public async Task GetAsync_KeepsAtMostItsCapacity_DroppingTheOldestFirst()
    {
        var charts = Services.GetRequiredService<ChartMarkup>();
        for (var i = 0; i <= ChartMarkup.Capacity; i++)
        {
            await charts.GetAsync(ChartType.Bar, Series(i), ["x"], new BarChartOptions(), "100%", "220px");
        }

        await charts.GetAsync(ChartType.Bar, Series(ChartMarkup.Capacity), ["x"], new BarChartOptions(), "100%", "220px");
        Assert.Equal(ChartMarkup.Capacity + 1, charts.Rendered);

        await charts.GetAsync(ChartType.Bar, Series(0), ["x"], new BarChartOptions(), "100%", "220px");
        Assert.Equal(ChartMarkup.Capacity + 2, charts.Rendered);
    }

    [Fact]
    public void Share_ForEqualMarkupBuiltTwice_ReturnsOneInstance()
    {
        var charts = Services.GetRequiredService<ChartMarkup>();
        var first = string.Concat("<div>", "grid", "</div>");
        var second = string.Concat("<div>", "grid", "</div>");
        Assert.NotSame(first, second);

        Assert.Same(charts.Share(first), charts.Share(second));
    }

    [Fact]
    public async Task GetAsync_WithTips_AddsOneHoverBandPerPoint_CoveringThePointsLineVertex()
    {
        var charts = Services.GetRequiredService<ChartMarkup>();

        var markup = await charts.GetAsync(ChartType.Line, Series(1, 2, 3, 2), ["10:00", "", "", "10:03"], Options(1), "100%", "220px", () => ["10:00 · 1 < 2", "10:01 · 2", "10:02 · 3", "10:03 · 2"]);

        var path = System.Text.RegularExpressions.Regex.Match(markup, "class=\"mud-chart-serie mud-chart-line\"[^>]* d=\"([^\"]+)\"").Groups[1].Value;
        var vertices = System.Text.RegularExpressions.Regex.Matches(path, "[ML] ([0-9.]+) ").Select(m => double.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        var bands = System.Text.RegularExpressions.Regex.Matches(markup, "<rect x=\"([0-9.-]+)\" y=\"0\" width=\"([0-9.]+)\" height=\"[0-9.]+\"><title>([^<]*)</title></rect>").ToList();
        Assert.Equal(4, vertices.Count);
        Assert.Equal(4, bands.Count);
        for (var i = 0; i < 4; i++)
        {
            var left = double.Parse(bands[i].Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            var width = double.Parse(bands[i].Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture);
            Assert.InRange(vertices[i], left, left + width);
        }

        Assert.Equal("10:00 · 1 < 2", System.Net.WebUtility.HtmlDecode(bands[0].Groups[3].Value));
        Assert.DoesNotContain("1 < 2", markup, StringComparison.Ordinal);
        Assert.Contains("studio-chart-tips", markup, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetAsync_LeavesOutTheEmptyAxisLabels_KeepingTheNamedOnesAndABandForEveryPoint()
    {
        var charts = Services.GetRequiredService<ChartMarkup>();
        string[] labels = ["10:00", "", "", "", "10:04"];

        var markup = await charts.GetAsync(ChartType.Line, Series(1, 2, 3, 2, 1), labels, Options(1), "100%", "220px", () => ["a", "b", "c", "d", "e"]);

        var axis = markup[markup.IndexOf("<g class=\"mud-charts-xaxis\">", StringComparison.Ordinal)..];
        axis = axis[..axis.IndexOf("</g>", StringComparison.Ordinal)];
        Assert.Equal(["10:00", "10:04"], System.Text.RegularExpressions.Regex.Matches(axis, "<text [^>]*>([^<]*)</text>").Select(m => m.Groups[1].Value));
        Assert.DoesNotMatch("<text [^>]*></text>", markup);
        Assert.Equal(5, System.Text.RegularExpressions.Regex.Matches(markup, "<rect [^>]*><title>").Count);
    }

    [Fact]
    public void WithoutEmptyTexts_RemovesOnlyTextElementsWithNothingInThem()
    {
        const string Markup = "<g><text x='1' y='2'></text><text x='3' y='2'>09:15</text><text x='5' y='2'></text></g><title></title>";

        Assert.Equal("<g><text x='3' y='2'>09:15</text></g><title></title>", ChartMarkup.WithoutEmptyTexts(Markup));
    }

    [Fact]
    public async Task GetAsync_WithOtherTips_IsAnotherChart_AndWithTipsThatDoNotMatchTheLabels_HasNoBands()
    {
        var charts = Services.GetRequiredService<ChartMarkup>();

        var first = await charts.GetAsync(ChartType.Line, Series(1, 2), ["10:00", "10:01"], Options(1), "100%", "220px", () => ["a", "b"]);
        var second = await charts.GetAsync(ChartType.Line, Series(1, 2), ["10:00", "10:01"], Options(1), "100%", "220px", () => ["a", "c"]);
        var mismatched = await charts.GetAsync(ChartType.Line, Series(1, 2), ["10:00", "10:01"], Options(1), "100%", "220px", () => ["only one"]);

        Assert.Equal(3, charts.Rendered);
        Assert.Contains("<title>c</title>", second, StringComparison.Ordinal);
        Assert.DoesNotContain("<title>c</title>", first, StringComparison.Ordinal);
        Assert.DoesNotContain("studio-chart-tips", mismatched, StringComparison.Ordinal);
    }
}
