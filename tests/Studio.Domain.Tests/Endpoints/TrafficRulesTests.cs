using Studio.Domain.Endpoints;

namespace Studio.Domain.Tests.Endpoints;

public sealed class TrafficRulesTests
{
    private static readonly string[] Deployments = ["blue", "green"];

    private static Dictionary<string, int> Map(string text) => new(TrafficRules.Parse(text).Value, StringComparer.OrdinalIgnoreCase);

    public static TheoryData<string, string, string?> Cases() => new()
    {
        { "blue=100", "", null },
        { "blue=90 green=10", "", null },
        { "", "", null },
        { "blue=0 green=0", "", null },
        { "blue=100", "green=20", null },
        { "blue=100 green=0", "green=50", null },
        { "blue=90 green=5", "", "traffic" },
        { "blue=60 green=60", "", "traffic" },
        { "blue=100 red=0", "", "traffic.red" },
        { "blue=-10 green=110", "", "traffic.blue" },
        { "blue=100", "green=51", "mirror_traffic.green" },
        { "blue=90 green=10", "green=20", "mirror_traffic.green" },
        { "blue=100", "red=10", "mirror_traffic.red" },
        { "blue=100", "green=10 blue=5", "mirror_traffic" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Traffic_SumsTo0Or100_AndMirrorIsAtMost50PercentToOneDeploymentWithoutLiveTraffic(string traffic, string mirror, string? field)
    {
        var errors = TrafficRules.Validate(Map(traffic), Map(mirror), Deployments);

        if (field is null)
        {
            Assert.Empty(errors);
        }
        else
        {
            Assert.Contains(errors, e => e.Field == field);
        }
    }

    [Theory]
    [InlineData("blue=90 green=10", 2)]
    [InlineData("blue=90,green=10", 2)]
    [InlineData("  ", 0)]
    public void Parse_ReadsTheCliForm(string text, int count)
    {
        Assert.Equal(count, TrafficRules.Parse(text).Value.Count);
    }

    [Theory]
    [InlineData("blue")]
    [InlineData("blue=ninety")]
    [InlineData("blue=1 blue=2")]
    [InlineData("=5")]
    public void Parse_RefusesWhatIsNotDeploymentEqualsPercent(string text)
    {
        Assert.Equal("traffic", Assert.Single(TrafficRules.Parse(text).Errors).Field);
    }
}
