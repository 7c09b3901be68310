using Studio.Domain.Common;

namespace Studio.Domain.Tests.Common;

public sealed class Dns1123Tests
{
    [Theory]
    [InlineData("a")]
    [InlineData("team-vision")]
    [InlineData("0abc9")]
    public void ValidateLabel_Valid_ReturnsNull(string value) => Assert.Null(Dns1123.ValidateLabel(value));

    [Theory]
    [InlineData("")]
    [InlineData("-a")]
    [InlineData("a-")]
    [InlineData("A")]
    [InlineData("a_b")]
    [InlineData("a.b")]
    [InlineData("a123456789012345678901234567890123456789012345678901234567890123")]
    public void ValidateLabel_Invalid_ReturnsReason(string value) => Assert.NotNull(Dns1123.ValidateLabel(value));

    [Theory]
    [InlineData("instancetypes.amlarc.azureml.com", true)]
    [InlineData("a..b", false)]
    [InlineData(".a", false)]
    public void ValidateSubdomain_FollowsKubernetesRule(string value, bool valid) => Assert.Equal(valid, Dns1123.ValidateSubdomain(value) is null);
}
