using Studio.Domain.Common;
using Studio.Domain.Workspaces;

namespace Studio.Domain.Tests.Workspaces;

public sealed class WorkspaceEnvironmentTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);

    private static Workspace NewWorkspace() => Workspace.Create(WorkspaceName.Create("nlp").Value, null, "admin", "Admin", T0);

    [Fact]
    public void Register_WithoutVersion_AutoIncrementsFromHighestNumericVersion()
    {
        var ws = NewWorkspace();
        ws.RegisterEnvironment("torch", "7", "pytorch/pytorch:2.3.0", null, null, "Dana", T0);

        var next = ws.RegisterEnvironment("TORCH", null, "pytorch/pytorch:2.4.0", null, null, "Dana", T0.AddMinutes(1));

        Assert.True(next.IsSuccess);
        Assert.Equal("8", next.Value.Version);
        Assert.Equal("torch", next.Value.Name);
        Assert.Equal("azureml:torch:8", next.Value.Reference);
    }

    [Fact]
    public void Register_SameVersionTwice_IsAConflictOnVersion()
    {
        var ws = NewWorkspace();
        ws.RegisterEnvironment("torch", "1", "pytorch/pytorch:2.3.0", null, null, "Dana", T0);

        var again = ws.RegisterEnvironment("torch", "1", "pytorch/pytorch:2.4.0", null, null, "Dana", T0);

        Assert.False(again.IsSuccess);
        Assert.Equal(ErrorKind.Conflict, again.Errors[0].Kind);
        Assert.Equal("version", again.Errors[0].Field);
        Assert.Single(ws.Environments);
    }

    [Theory]
    [InlineData("", "Enter a name.")]
    [InlineData("_x", "The name must start with a letter or a digit.")]
    [InlineData("a b", "The name may contain only letters, digits, '-', '_' and '.'.")]
    [InlineData("a:b", "The name may contain only letters, digits, '-', '_' and '.'.")]
    public void Register_WithInvalidName_ReportsNameField(string name, string message)
    {
        var result = NewWorkspace().RegisterEnvironment(name, null, "python:3.12", null, null, "Dana", T0);

        var error = Assert.Single(result.Errors);
        Assert.Equal("name", error.Field);
        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void Register_WithAllFieldsWrong_ReportsEveryFieldAndAddsNothing()
    {
        var ws = NewWorkspace();

        var result = ws.RegisterEnvironment("", "v 1", "x", "Image 'x' is bad.", null, "Dana", T0);

        Assert.Equal(["name", "version", "image"], result.Errors.Select(e => e.Field));
        Assert.Empty(ws.Environments);
    }

    [Theory]
    [InlineData("azureml:torch:1", "pytorch/pytorch:2.3.0")]
    [InlineData("torch:2", "pytorch/pytorch:2.4.0")]
    [InlineData("azureml:torch@latest", "pytorch/pytorch:2.4.0")]
    [InlineData("torch", "pytorch/pytorch:2.4.0")]
    [InlineData("Torch", "pytorch/pytorch:2.4.0")]
    [InlineData("torch:3", null)]
    [InlineData("sklearn", null)]
    [InlineData("torch@stable", null)]
    public void FindEnvironment_ResolvesVersionOrLatest(string reference, string? image)
    {
        var ws = NewWorkspace();
        ws.RegisterEnvironment("torch", null, "pytorch/pytorch:2.3.0", null, null, "Dana", T0);
        ws.RegisterEnvironment("torch", null, "pytorch/pytorch:2.4.0", null, null, "Dana", T0.AddDays(1));

        Assert.Equal(image, ws.FindEnvironment(reference)?.Image);
    }

    [Fact]
    public void ParseReference_WithUnsupportedLabel_SaysOnlyLatest()
    {
        var parsed = WorkspaceEnvironment.ParseReference("azureml:torch@stable");

        Assert.Contains("only '@latest' is supported", Assert.Single(parsed.Errors).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Remove_MissingVersion_IsNotFound()
    {
        var ws = NewWorkspace();
        ws.RegisterEnvironment("torch", "1", "pytorch/pytorch:2.3.0", null, null, "Dana", T0);

        Assert.Equal(ErrorKind.NotFound, ws.RemoveEnvironment("torch", "2").Errors[0].Kind);
        Assert.True(ws.RemoveEnvironment("TORCH", "1").IsSuccess);
        Assert.Empty(ws.Environments);
    }
}
