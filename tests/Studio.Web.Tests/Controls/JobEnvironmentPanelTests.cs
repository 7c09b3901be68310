using Bunit;
using Studio.Domain.Jobs;
using Studio.Infrastructure.Jobs;
using Studio.Web.Components.Controls;
using Studio.Web.Tests.Shared;

namespace Studio.Web.Tests.Controls;

/// <summary>The job page's environment section says how a Docker-context environment was prepared and shows the build log.</summary>
public sealed class JobEnvironmentPanelTests : StudioTestContext
{
    private const string Image = "registry.example/team/studio-env:0f3a";

    private static readonly JobSpec Spec = new()
    {
        Compute = "train",
        Command = "python train.py",
        InlineEnvironment = new JobEnvironment { BuildPath = "./docker-context", DockerfilePath = "Dockerfile", BuildSnapshot = "sha256:" + new string('b', 64) },
    };

    private static readonly DateTimeOffset Started = new(2026, 12, 7, 21, 0, 0, TimeSpan.Zero);

    [Fact]
    public void BuiltByThisJob_SaysBuiltInTheClusterByKaniko_AndShowsTheBuildLog()
    {
        var build = new JobEnvironmentBuildView(Image, EnvironmentBuildState.Succeeded, $"built in the cluster as {Image} by kaniko", true, null, Started, Started.AddSeconds(80), "studio-build-0f3a-1-abcde", null, $"INFO[0001] RUN pip install -r requirements.txt\nINFO[0003] Pushed {Image}@sha256:1234");

        var cut = Render<JobEnvironmentPanel>(p => p.Add(x => x.Spec, Spec).Add(x => x.Image, Image).Add(x => x.Build, build));

        Assert.Equal($"built in the cluster as {Image} by kaniko", cut.Find("[data-testid=job-environment-path]").TextContent.Trim());
        var state = cut.Find("[data-testid=job-environment-build-state]").TextContent;
        Assert.Contains("Succeeded", state, StringComparison.Ordinal);
        Assert.Contains("took 1m 20s", state, StringComparison.Ordinal);
        Assert.Contains("pod studio-build-0f3a-1-abcde", state, StringComparison.Ordinal);
        Assert.Contains("Build log (kaniko, last lines)", cut.Markup, StringComparison.Ordinal);
        Assert.Contains("RUN pip install -r requirements.txt", cut.Find("[data-testid=job-environment-build-log]").TextContent, StringComparison.Ordinal);
        Assert.Empty(cut.FindAll("[data-testid=job-environment-build-failure]"));
    }

    [Fact]
    public void FailedBuild_ShowsTheFailureSentence_AndTheLastLogLines()
    {
        var build = new JobEnvironmentBuildView(Image, EnvironmentBuildState.Failed, $"the build of {Image} by kaniko failed", true, null, Started, Started.AddSeconds(30), null, "Image build failed: RUN false — exit status 1.", "INFO[0002] Running: [/bin/sh -c false]\nerror building image: exit status 1");

        var cut = Render<JobEnvironmentPanel>(p => p.Add(x => x.Spec, Spec).Add(x => x.Image, Image).Add(x => x.Build, build));

        Assert.Equal("Image build failed: RUN false — exit status 1.", cut.Find("[data-testid=job-environment-build-failure]").TextContent.Trim());
        Assert.Contains("Running: [/bin/sh -c false]", cut.Find("[data-testid=job-environment-build-log]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void ReusedBuild_NamesTheJobThatBuiltIt_AndABuildInProgressSaysItsLogIsLive()
    {
        var reused = new JobEnvironmentBuildView(Image, EnvironmentBuildState.Succeeded, $"reused the build of job first-run: {Image}, built in the cluster by kaniko", false, "first-run", Started, Started.AddMinutes(2), "p", null, "done");
        var cut = Render<JobEnvironmentPanel>(p => p.Add(x => x.Spec, Spec).Add(x => x.Image, Image).Add(x => x.Build, reused));
        Assert.StartsWith("reused the build of job first-run", cut.Find("[data-testid=job-environment-path]").TextContent.Trim(), StringComparison.Ordinal);

        var building = new JobEnvironmentBuildView(Image, EnvironmentBuildState.Building, $"being built in the cluster as {Image} by kaniko (builder studio-build-0f3a-1)", true, null, Started, null, null, null, null);
        var live = Render<JobEnvironmentPanel>(p => p.Add(x => x.Spec, Spec).Add(x => x.Image, Image).Add(x => x.Build, building));
        Assert.Contains("Build log (kaniko, live)", live.Markup, StringComparison.Ordinal);
        Assert.Contains("No log yet", live.Find("[data-testid=job-environment-build-log]").TextContent, StringComparison.Ordinal);
    }
}
