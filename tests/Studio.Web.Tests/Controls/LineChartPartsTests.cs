using Studio.Web.Components.Controls;
using Studio.Web.Model;

namespace Studio.Web.Tests.Controls;

/// <summary>The time axis of the line charts: readable labels that never sit on top of each other.</summary>
public sealed class LineChartPartsTests
{
    private static List<UtilisationPoint> Points(int count) =>
        [.. Enumerable.Range(0, count).Select(i => new UtilisationPoint(new DateTimeOffset(2026, 12, 7, 10, 0, 0, TimeSpan.Zero).AddMinutes(i), default, default, 0, i, 0, 0))];

    [Theory]
    [InlineData(20)]
    [InlineData(37)]
    [InlineData(60)]
    [InlineData(121)]
    public void OverTime_LabelsTheFirstAndLastPoint_AndNoTwoLabelsCloserThanHalfTheSpacing(int count)
    {
        var parts = LineChartParts.OverTime(Points(count), "Pods", _ => string.Empty, ("Running", p => p.PodsRunning));

        var labeled = parts.Labels.Select((l, i) => (l, i)).Where(x => x.l.Length > 0).Select(x => x.i).ToList();
        var spacing = Math.Max(1, count / 6);
        Assert.Equal(0, labeled[0]);
        Assert.Equal(count - 1, labeled[^1]);
        Assert.All(labeled.Zip(labeled.Skip(1)), pair => Assert.True((pair.Second - pair.First) * 2 >= spacing, $"labels at {pair.First} and {pair.Second} of {count} overlap"));
    }
}
