using Studio.Domain.Workspaces;

namespace Studio.Domain.Tests.Workspaces;

public sealed class WorkspaceNameTests
{
    [Theory]
    [InlineData("default")]
    [InlineData("abc")]
    [InlineData("Vision_Team-2")]
    [InlineData("9lives")]
    [InlineData("a23456789012345678901234567890123")]
    public void Create_WithValidName_Succeeds(string name)
    {
        var result = WorkspaceName.Create(name);

        Assert.True(result.IsSuccess);
        Assert.Equal(name, result.Value.Value);
        Assert.Equal(name.ToLowerInvariant(), result.Value.Normalized);
    }

    [Theory]
    [InlineData(null, "Enter a name.")]
    [InlineData("   ", "Enter a name.")]
    [InlineData("ab", "3 to 33 characters")]
    [InlineData("a234567890123456789012345678901234", "3 to 33 characters")]
    [InlineData("-team", "must start with a letter or a digit")]
    [InlineData("_team", "must start with a letter or a digit")]
    [InlineData("team one", "Use only letters, digits, hyphens")]
    [InlineData("team.one", "Use only letters, digits, hyphens")]
    [InlineData("équipe", "must start with a letter or a digit")]
    public void Create_WithInvalidName_FailsOnNameFieldWithReason(string? name, string expected)
    {
        var result = WorkspaceName.Create(name);

        var error = Assert.Single(result.Errors);
        Assert.Equal("name", error.Field);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }
}
