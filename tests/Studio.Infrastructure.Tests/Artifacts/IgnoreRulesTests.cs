using Studio.Infrastructure.Artifacts.Snapshots;

namespace Studio.Infrastructure.Tests.Artifacts;

public sealed class IgnoreRulesTests
{
    private const string Rules = """
        # data and outputs stay out of the snapshot
        data/
        *.ckpt
        /outputs
        **/__pycache__
        logs/**/*.log
        !keep.ckpt
        \#literal
        """;

    [Theory]
    [InlineData("data/train.csv", true)]
    [InlineData("src/data/x.csv", true)]
    [InlineData("data", false)]
    [InlineData("model.ckpt", true)]
    [InlineData("deep/model.ckpt", true)]
    [InlineData("keep.ckpt", false)]
    [InlineData("outputs/a.txt", true)]
    [InlineData("src/outputs/a.txt", false)]
    [InlineData("pkg/__pycache__/m.pyc", true)]
    [InlineData("logs/a/b/run.log", true)]
    [InlineData("logs/run.log", true)]
    [InlineData("logs/run.txt", false)]
    [InlineData("#literal", true)]
    [InlineData("train.py", false)]
    public void IsIgnored_FollowsGitSemantics(string path, bool ignored) =>
        Assert.Equal(ignored, IgnoreRules.Parse(Rules).IsIgnored(path));

    [Fact]
    public void Parse_SkipsCommentsAndBlankLines() => Assert.Equal(0, IgnoreRules.Parse("# only a comment\n\n   \n").Count);
}
