using System.Text.RegularExpressions;
using k8s.Models;
using Studio.Domain.InstanceTypes;
using Studio.Infrastructure.Compute;

namespace Studio.Infrastructure.Tests.InstanceTypes;

/// <summary>The Domain's exact quantity parser agrees with KubernetesClient's ResourceQuantity, and the CRD's pattern with both.</summary>
public sealed class QuantityParityTests
{
    public static TheoryData<string> Quantities => new()
    {
        "100m", "0.1", "1", "1.5", "1Gi", "1G", "1e3", "1E3", "1e-3", "1500Mi", "1.5Gi", ".5", "2Ki", "3k", "7M", "1T", "1Ti", "1P", "1Pi",
        "123456789", "0.000000001", "1n", "250u", "999m", "2048Mi", "8", "64Gi", "0.25", "1e0", "3e2",
    };

    [Theory]
    [MemberData(nameof(Quantities))]
    public void Parse_AgreesWithResourceQuantity(string text)
    {
        var ours = Quantity.Parse(text, out var error);
        var theirs = new ResourceQuantity(text);

        Assert.Null(error);
        Assert.Equal(theirs.ToDecimal(), ours!.Value.Value);
    }

    [Theory]
    [MemberData(nameof(Quantities))]
    public void CrdPattern_AcceptsEveryPositiveQuantity(string text) =>
        Assert.Matches(ExtensionManifests.PositiveQuantityPattern, text);

    [Theory]
    [InlineData("0")]
    [InlineData("0m")]
    [InlineData("0.0")]
    [InlineData("00")]
    [InlineData("0Gi")]
    [InlineData("0e3")]
    [InlineData("-1")]
    [InlineData("")]
    [InlineData("2GB")]
    [InlineData("two")]
    [InlineData("1 Gi")]
    public void CrdPattern_RejectsZeroNegativeAndMalformed_LikeTheDomain(string text)
    {
        Assert.DoesNotMatch(new Regex(ExtensionManifests.PositiveQuantityPattern), text);
        var parsed = Quantity.Parse(text, out _);
        Assert.True(parsed is null || parsed.Value.Value <= 0);
    }
}
