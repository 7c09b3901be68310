using Studio.Domain.Clusters;
using Studio.Web.Model;

namespace Studio.Web.Tests.Model;

public sealed class FormatTests
{
    [Theory]
    [InlineData(500, "0.5")]
    [InlineData(1500, "1.5")]
    [InlineData(16000, "16")]
    [InlineData(14_700_000, "14,700")]
    [InlineData(113_960_250, "113,960.25")]
    public void Cpu_ShowsCoresWithThousandsSeparators(long millis, string expected) => Assert.Equal(expected, Format.Cpu(millis));

    [Fact]
    public void Usage_OfAClusterWithThousandsOfCoresAndGpus_ReadsWithSeparators()
    {
        var requested = new ResourceAmounts(14_700_000, 0, 3050);
        var allocatable = new ResourceAmounts(113_960_000, 0, 4500);

        Assert.Equal("14,700 / 113,960", Format.Usage(requested, allocatable, "cpu"));
        Assert.Equal("3,050 / 4,500", Format.Usage(requested, allocatable, "gpu"));
    }
}
