using Studio.Domain.Clusters;

namespace Studio.Domain.Tests;

public sealed class HumanUnitsTests
{
    [Theory]
    [InlineData(500, "0.5")]
    [InlineData(125, "0.125")]
    [InlineData(1500, "1.5")]
    [InlineData(16000, "16")]
    [InlineData(14_700_000, "14,700")]
    [InlineData(113_960_250, "113,960.25")]
    public void Cores_AreExactToTheMillicore_WithThousandsSeparators(long millis, string expected) => Assert.Equal(expected, HumanUnits.Cores(millis));

    [Fact]
    public void Cpu_IsCoresWithTheUnit() => Assert.Equal("14,700 CPU", HumanUnits.Cpu(14_700_000));

    [Theory]
    [InlineData(0L, "0 B")]
    [InlineData(512L, "512 B")]
    [InlineData(1536L, "1.5 KiB")]
    [InlineData(1500L * 1024 * 1024, "1.46 GiB")]
    [InlineData(8_300_000_000L, "7.73 GiB")]
    [InlineData(1023L * 1024 * 1024 * 1024 * 1024, "1,023 TiB")]
    public void Bytes_UseTheLargestBinaryUnit_WithTwoDecimalsAtMost(long bytes, string expected) => Assert.Equal(expected, HumanUnits.Bytes(bytes));

    [Fact]
    public void Usage_OfAClusterWithThousandsOfCoresAndGpus_ReadsWithSeparators()
    {
        var requested = new ResourceAmounts(14_700_000, 3L * 1024 * 1024 * 1024, 3050);
        var allocatable = new ResourceAmounts(113_960_000, 1536L * 1024 * 1024 * 1024, 4500);

        Assert.Equal("14,700 / 113,960", HumanUnits.Usage(requested, allocatable, "cpu"));
        Assert.Equal("3 GiB / 1.5 TiB", HumanUnits.Usage(requested, allocatable, "memory"));
        Assert.Equal("3,050 / 4,500", HumanUnits.Usage(requested, allocatable, "gpu"));
    }

    [Theory]
    [InlineData(45, "45s")]
    [InlineData(725, "12m 05s")]
    [InlineData(11_220, "3h 07m")]
    [InlineData(187_200, "2d 4h")]
    public void Duration_ShowsItsTwoLargestUnits(int seconds, string expected) => Assert.Equal(expected, HumanUnits.Duration(TimeSpan.FromSeconds(seconds)));

    [Fact]
    public void Duration_OfNothingOrANegativeSpan_IsADash()
    {
        Assert.Equal(HumanUnits.None, HumanUnits.Duration(null));
        Assert.Equal(HumanUnits.None, HumanUnits.Duration(TimeSpan.FromSeconds(-1)));
    }

    [Theory]
    [InlineData(-5, "0s")]
    [InlineData(59, "59s")]
    [InlineData(300, "5m")]
    [InlineData(7_300, "2h")]
    [InlineData(200_000, "2d")]
    public void Age_ShowsItsLargestUnit(int seconds, string expected)
    {
        var now = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);
        Assert.Equal(expected, HumanUnits.Age(now.AddSeconds(-seconds), now));
    }

    [Fact]
    public void RunTime_RunsToNowUntilItEnds()
    {
        var start = new DateTimeOffset(2026, 1, 2, 3, 0, 0, TimeSpan.Zero);
        Assert.Null(HumanUnits.RunTime(null, null, start));
        Assert.Equal(TimeSpan.FromMinutes(5), HumanUnits.RunTime(start, null, start.AddMinutes(5)));
        Assert.Equal(TimeSpan.FromMinutes(2), HumanUnits.RunTime(start, start.AddMinutes(2), start.AddMinutes(5)));
    }

    [Fact]
    public void Timestamp_IsLocalTimeToTheSecond()
    {
        var at = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);
        Assert.Equal(at.ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture), HumanUnits.Timestamp(at));
        Assert.Equal(HumanUnits.None, HumanUnits.Timestamp(null));
    }
}
