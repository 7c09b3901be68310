using Studio.Domain.Workspaces;

namespace Studio.Domain.Tests.Workspaces;

public sealed class ComputeTargetInstanceTypesTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);

    private static ComputeTarget Attach() =>
        Workspace.Create(WorkspaceName.Create("team").Value, null, "admin", "Admin", Now)
            .AttachComputeTarget("gpu", Guid.NewGuid(), "team-gpu", null, Now).Value;

    [Fact]
    public void NoRestriction_AllowsEverything()
    {
        var target = Attach();

        Assert.Empty(target.AllowedInstanceTypes);
        Assert.True(target.Allows("anything"));
    }

    [Fact]
    public void SetInstanceTypes_StoresASortedDistinctList_AndTheDefault()
    {
        var target = Attach();

        Assert.True(target.SetInstanceTypes("gpu-1x-a100", ["gpu-1x-t4", "gpu-1x-a100", " gpu-1x-t4 "]).IsSuccess);

        Assert.Equal(["gpu-1x-a100", "gpu-1x-t4"], target.AllowedInstanceTypes);
        Assert.Equal("gpu-1x-a100", target.DefaultInstanceType);
        Assert.False(target.Allows("defaultinstancetype"));
    }

    [Theory]
    [InlineData("cpu-small", new[] { "gpu-1x-a100" }, "defaultInstanceType", "must be one of the allowed")]
    [InlineData("Bad_Name", new string[0], "defaultInstanceType", "lower case")]
    [InlineData("gpu", new[] { "gpu", "not valid" }, "allowedInstanceTypes", "not an instance type name")]
    public void SetInstanceTypes_Invalid_IsAFieldError_AndChangesNothing(string @default, string[] allowed, string field, string message)
    {
        var target = Attach();

        var result = target.SetInstanceTypes(@default, allowed);

        var error = Assert.Single(result.Errors);
        Assert.Equal(field, error.Field);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.Equal(("defaultinstancetype", 0), (target.DefaultInstanceType, target.AllowedInstanceTypes.Count));
    }

    [Fact]
    public void SetInstanceTypes_EmptyList_RemovesTheRestriction()
    {
        var target = Attach();
        target.SetInstanceTypes("gpu", ["gpu"]);

        Assert.True(target.SetInstanceTypes(null, []).IsSuccess);

        Assert.Equal(("defaultinstancetype", 0), (target.DefaultInstanceType, target.AllowedInstanceTypes.Count));
    }

    [Fact]
    public void ChooseInstanceType_NotAllowed_IsRefusedOnTheField_NamingTheAllowedOnes()
    {
        var target = Attach();
        Assert.True(target.SetInstanceTypes("defaultinstancetype", ["defaultinstancetype", "cpu-small"]).IsSuccess);

        var chosen = target.ChooseInstanceType("gpu-big");

        var error = Assert.Single(chosen.Errors);
        Assert.Equal((InstanceTypeRestriction.NotAllowedCode, "resources.instance_type", true), (error.Code, error.Field, error.IsUnprocessable));
        Assert.Contains("'gpu-big' is not allowed on compute target 'gpu'. Allowed: cpu-small, defaultinstancetype.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ChooseInstanceType_None_IsTheTargetsDefault_AndAnAllowedOneIsKept()
    {
        var target = Attach();
        Assert.True(target.SetInstanceTypes("cpu-small", ["cpu-small", "gpu-big"]).IsSuccess);

        Assert.Equal("cpu-small", target.ChooseInstanceType(null).Value);
        Assert.Equal("cpu-small", target.ChooseInstanceType("  ").Value);
        Assert.Equal("gpu-big", target.ChooseInstanceType(" gpu-big ").Value);
        Assert.Equal("anything", Attach().ChooseInstanceType("anything").Value);
    }

    [Fact]
    public void Restriction_IsTheSameRuleForEveryCaller_EmptyAllowsAll()
    {
        var restriction = new InstanceTypeRestriction([" b ", "a", "b", ""]);

        Assert.Equal(["a", "b"], restriction.Allowed);
        Assert.True(restriction.Allows("a"));
        Assert.False(restriction.Allows("c"));
        Assert.True(InstanceTypeRestriction.None.Allows("c"));
        Assert.True(new InstanceTypeRestriction(null).Allows("c"));
        Assert.Null(restriction.Check("a", "t", "instanceType"));
        Assert.Equal("instanceType", restriction.Check("c", "t", "instanceType")!.Field);
    }
}
