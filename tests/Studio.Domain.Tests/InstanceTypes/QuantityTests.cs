using Studio.Domain.InstanceTypes;

namespace Studio.Domain.Tests.InstanceTypes;

public sealed class QuantityTests
{
    [Theory]
    [InlineData("100m", "0.1")]
    [InlineData("0.1", "0.1")]
    [InlineData("1", "1")]
    [InlineData("1Gi", "1073741824")]
    [InlineData("1G", "1000000000")]
    [InlineData("1e3", "1000")]
    [InlineData("1E3", "1000")]
    [InlineData("1e-3", "0.001")]
    [InlineData("1500Mi", "1572864000")]
    [InlineData("1.5Gi", "1610612736")]
    [InlineData(".5", "0.5")]
    [InlineData("+2", "2")]
    [InlineData("-1", "-1")]
    [InlineData("1Ki", "1024")]
    [InlineData("1k", "1000")]
    [InlineData("1Ei", "1152921504606846976")]
    [InlineData("1n", "0.000000001")]
    [InlineData("0.0000000001", "0.000000001")]
    [InlineData("  2Gi ", "2147483648")]
    public void Parse_ValidQuantity_IsExact(string text, string expected)
    {
        var q = Quantity.Parse(text, out var error);

        Assert.Null(error);
        Assert.Equal(decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), q!.Value.Value);
        Assert.Equal(text.Trim(), q.Value.Text);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("abc")]
    [InlineData("1GB")]
    [InlineData("1gi")]
    [InlineData("1e")]
    [InlineData("1e99")]
    [InlineData("1.2.3")]
    [InlineData("m")]
    [InlineData("+")]
    [InlineData("1 Gi")]
    [InlineData("9223372036854775808")]
    [InlineData("-9223372036854775808000")]
    [InlineData("99999999999999999999999999999999999")]
    [InlineData("8Ei")]
    [InlineData("100000000P")]
    [InlineData("9.3e18")]
    public void Parse_Invalid_SaysWhy(string text)
    {
        Assert.Null(Quantity.Parse(text, out var error));
        Assert.False(string.IsNullOrEmpty(error));
    }

    [Theory]
    [InlineData("100m", 100)]
    [InlineData("0.1", 100)]
    [InlineData("0.0001", 1)]
    [InlineData("1.5", 1500)]
    [InlineData("2", 2000)]
    [InlineData("1e0", 1000)]
    public void CeilingMillis_RoundsUpLikeKubernetes(string text, long millis) =>
        Assert.Equal(millis, Quantity.From(text).CeilingMillis);

    [Theory]
    [InlineData("9223372036854775807")]
    [InlineData("7Ei")]
    public void CeilingMillis_OfTheLargestQuantities_SaturatesInsteadOfOverflowing(string text)
    {
        var q = Quantity.From(text);

        Assert.Equal(long.MaxValue, q.CeilingMillis);
        Assert.True(q.CeilingUnits > 0);
    }

    [Fact]
    public void PointOneAddedTenTimes_IsExactlyOne_NoFloatingPointSurprise()
    {
        var sum = Enumerable.Repeat(Quantity.From("0.1").Value, 10).Sum();

        Assert.Equal(1m, sum);
        Assert.Equal(Quantity.From("100m").Value, Quantity.From("0.1").Value);
        Assert.Equal(Quantity.From("1e3").Value, Quantity.From("1k").Value);
    }

    [Theory]
    [InlineData(2000, "2")]
    [InlineData(100, "100m")]
    [InlineData(1500, "1500m")]
    public void FromMillis_WritesThePlainForm(long millis, string text) => Assert.Equal(text, Quantity.FromMillis(millis).Text);

    [Theory]
    [InlineData(2147483648, "2Gi")]
    [InlineData(1572864000, "1500Mi")]
    [InlineData(1000, "1000")]
    public void FromBytes_UsesTheLargestWholeBinaryUnit(long bytes, string text) => Assert.Equal(text, Quantity.FromBytes(bytes).Text);

    [Theory]
    [InlineData("1500Mi", false, "1.46 GiB")]
    [InlineData("2Gi", false, "2 GiB")]
    [InlineData("1G", false, "953.67 MiB")]
    [InlineData("500m", true, "0.5 CPU")]
    [InlineData("2", true, "2 CPU")]
    [InlineData("nonsense", true, null)]
    public void HumanUnits_Describe_ShowsTheQuantityInPeoplesUnits(string text, bool cpu, string? expected) =>
        Assert.Equal(expected, HumanUnits.Describe(text, cpu));
}
