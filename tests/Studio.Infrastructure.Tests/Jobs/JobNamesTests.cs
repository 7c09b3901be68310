using Studio.Domain.Common;
using Studio.Domain.Jobs;
using Studio.Infrastructure.Jobs;

namespace Studio.Infrastructure.Tests.Jobs;

public sealed class JobNamesTests
{
    private static readonly Guid Workspace = Guid.Parse("6f1d2c1e-0000-4000-8000-000000000001");

    private static JobSpec Spec(string? display = null, string? experiment = null, string? name = null) =>
        new() { Compute = "c", Command = "x", DisplayName = display, ExperimentName = experiment, Name = name };

    [Fact]
    public void SameWorkspaceAndRequestId_GiveTheSameName_OthersDiffer()
    {
        var a = JobNames.For(Workspace, Spec("Train ResNet"), "req-1");

        Assert.Equal(a, JobNames.For(Workspace, Spec("Train ResNet"), "req-1"));
        Assert.NotEqual(a, JobNames.For(Workspace, Spec("Train ResNet"), "req-2"));
        Assert.NotEqual(a, JobNames.For(Guid.NewGuid(), Spec("Train ResNet"), "req-1"));
        Assert.NotEqual(JobNames.For(Workspace, Spec("Train ResNet"), null), JobNames.For(Workspace, Spec("Train ResNet"), null));
        Assert.StartsWith("train-resnet-", a, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Hello World!", null, "hello-world-")]
    [InlineData(null, "exp_1", "exp-1-")]
    [InlineData("42 things", null, "job-42-things-")]
    [InlineData("日本語", null, "job-")]
    [InlineData(null, null, "job-")]
    public void Prefix_IsASlugOfTheDisplayOrExperimentName(string? display, string? experiment, string prefix) =>
        Assert.StartsWith(prefix, JobNames.For(Workspace, Spec(display, experiment), "r"), StringComparison.Ordinal);

    [Fact]
    public void LongNames_StayValidLabels_WithRoomForDerivedNames()
    {
        var name = JobNames.For(Workspace, Spec(new string('a', 200)), "r");

        Assert.Null(Dns1123.ValidateLabel(name));
        Assert.True(name.Length <= 63 - 8, name);
    }

    [Fact]
    public void TheSpecsOwnName_IsUsedAsIs() => Assert.Equal("my-run-1", JobNames.For(Workspace, Spec(name: "my-run-1"), "r"));

    [Fact]
    public void KubernetesName_DiffersPerWorkspace_ForTheSameStudioName_AndIsStableWithinOne()
    {
        var other = Guid.Parse("6f1d2c1e-0000-4000-8000-000000000002");

        var a = JobNames.KubernetesName(Workspace, "collide");
        var b = JobNames.KubernetesName(other, "collide");

        Assert.NotEqual(a, b);
        Assert.Equal(a, JobNames.KubernetesName(Workspace, "collide"));
        Assert.Matches("^collide-[a-z0-9]{5}$", a);
        Assert.Null(Dns1123.ValidateLabel(a));
    }

    [Fact]
    public void KubernetesName_OfALongName_IsCutToLeaveRoomForPodHostnames_AndStaysUniquePerWorkspaceAndName()
    {
        var longName = "a" + new string('b', 61) + "c";

        var a = JobNames.KubernetesName(Workspace, longName);
        var b = JobNames.KubernetesName(Workspace, longName[..^1] + "d");
        var c = JobNames.KubernetesName(Guid.NewGuid(), longName);

        Assert.True(a.Length <= JobNames.MaxKubernetesName, a);
        Assert.Equal(JobNames.MaxKubernetesName, a.Length);
        Assert.Null(Dns1123.ValidateLabel(a + "-12"));
        Assert.Equal(3, new[] { a, b, c }.Distinct().Count());
        Assert.StartsWith("abbb", a, StringComparison.Ordinal);
    }
}
