using Studio.Domain.AzureMl;
using Studio.Domain.Jobs;
using YamlDotNet.Core;

namespace Studio.Domain.Tests.AzureMl;

/// <summary>
/// YAML the studio is given is read without recursing per nesting level first: YamlDotNet's loader recurses once per
/// level, and one line of "- - - - …" (a list in a list in a list, no brackets needed) overflowed the stack and ended
/// the process — an uncatchable crash any signed-in user could post.
/// </summary>
public sealed class YamlReaderTests
{
    private static string BlockNesting(int levels) => string.Concat(Enumerable.Repeat("- ", levels)) + "x";

    [Fact]
    public void Load_BlockListsNestedDeeperThanTheLimit_IsRefusedWithTheLineAndColumn()
    {
        var e = Assert.Throws<YamlException>(() => YamlReader.Load(BlockNesting(500_000)));

        Assert.Contains($"more than {YamlReader.MaxDepth} levels", e.Message, StringComparison.Ordinal);
        Assert.Equal(1, e.Start.Line);
    }

    [Fact]
    public void Load_BracketsNestedDeeperThanTheLimit_AreRefused()
    {
        Assert.Throws<YamlException>(() => YamlReader.Load("a: " + new string('[', 100_000) + new string(']', 100_000)));
    }

    [Fact]
    public void Load_NestingUpToTheLimit_IsRead()
    {
        var stream = YamlReader.Load(BlockNesting(YamlReader.MaxDepth));

        Assert.Single(stream.Documents);
    }

    [Fact]
    public void JobImport_OfADeeplyNestedFile_IsAFieldErrorNotACrash()
    {
        var result = CommandJobYaml.Import("command: echo\ninputs: " + new string('[', 200) + new string(']', 200) + "\n" + BlockNesting(300_000));

        Assert.False(result.IsSuccess);
        Assert.Contains(result.Errors, e => e.Field == "(document)" && e.Message.Contains("levels deep", StringComparison.Ordinal));
    }

    [Fact]
    public void EndpointYaml_OfADeeplyNestedFile_IsAFieldErrorNotACrash()
    {
        var result = YamlFields.Load("name: x\ntags:\n  " + BlockNesting(300_000), "an online endpoint");

        Assert.False(result.IsSuccess);
        Assert.Contains("levels deep", result.Errors[0].Message, StringComparison.Ordinal);
    }
}
