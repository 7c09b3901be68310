using k8s;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Studio.Domain.Jobs;
using Studio.Infrastructure.Artifacts;
using Studio.Infrastructure.Environments;
using Studio.Infrastructure.Jobs;
using Studio.Infrastructure.Tests.Artifacts;

namespace Studio.Infrastructure.Tests.Jobs;

/// <summary>
/// Jobs whose environment is a Docker context, on a studio with a registry: the image is built in the sandbox by a
/// kaniko Job (which fetches the context through a signed URL and pushes into the sandbox's registry) before the
/// training pods start; the same context is built once; a failing Dockerfile fails the job with the step and log lines.
/// </summary>
public sealed class EnvironmentBuildTests(JobsFixture fixture) : IClassFixture<JobsFixture>
{
    private const string Registry = "registry.sandbox.test/team";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A replica of the studio on the fixture's database with builds configured, its build watcher running.</summary>
    private async Task<ServiceProvider> BuildingStudioAsync()
    {
        var studio = JobsFixture.CreateServices(fixture.DataFolder, new Dictionary<string, string?>
        {
            [$"{EnvironmentBuildOptions.SectionName}:Registry"] = Registry,
            [$"{EnvironmentBuildOptions.SectionName}:PushSecret"] = "registry-push",
            [$"{EnvironmentBuildOptions.SectionName}:PollInterval"] = "00:00:00.200",
        });
        ((TestArtifactBaseUrl)studio.GetRequiredService<IArtifactBaseUrl>()).Current = fixture.Artifacts.Address;
        await studio.GetServices<IHostedService>().OfType<EnvironmentBuildWatcher>().Single().StartAsync(Ct);
        return studio;
    }

    /// <summary>The sample job folder as the zip sent with its YAML, with a file that makes its context (so its image) this test's own.</summary>
    private static (JobImport Import, MemoryStream Files) Sample(string name)
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "Samples", "docker-context", name);
        var files = Directory.GetFiles(folder, "*", SearchOption.AllDirectories)
            .Select(f => (Path.GetRelativePath(folder, f).Replace('\\', '/'), File.ReadAllText(f)))
            .Append(("docker-context/test-id.txt", Guid.NewGuid().ToString("N")))
            .ToList();
        var yaml = File.ReadAllText(Path.Combine(folder, "job.yml"));
        var import = CommandJobYaml.Import(yaml).Value;
        return (import with { Spec = import.Spec with { Compute = TestWorkspace.Compute } }, TestZips.Create([.. files]));
    }

    private async Task<List<k8s.Models.V1Pod>> BuilderPodsAsync(TestWorkspace ws) =>
        [.. (await fixture.Client.CoreV1.ListNamespacedPodAsync(ws.Namespace, labelSelector: EnvironmentBuildManifests.BuildLabel, cancellationToken: Ct)).Items];

    [Fact]
    public async Task BuildContext_IsBuiltInTheCluster_ThenTheJobRunsWithTheImage_AndASecondJobReusesTheBuild()
    {
        var ws = await fixture.NewWorkspaceAsync(Ct);
        await using var studio = await BuildingStudioAsync();
        var submissions = studio.GetRequiredService<JobCodeSubmission>();
        var (import, files) = Sample("env");

        var first = await submissions.SubmitAsync(ws.Scientist, ws.Name, import, files, null, Ct);

        Assert.True(first.IsSuccess, string.Join("; ", first.Errors.Select(e => $"{e.Field}: {e.Message}")));
        var held = await fixture.WaitForKubernetesJobAsync(ws, first.Value.Job.Name, Ct);
        Assert.True(held.Spec.Suspend);
        var waiting = await fixture.WaitAsync(ws, first.Value.Job.Name, d => d.Summary.Reason == TrainingJob.BuildingEnvironment || d.Summary.State != JobState.Queued, Ct);
        Assert.StartsWith($"{Registry}/studio-env:", waiting.Image, StringComparison.Ordinal);
        if (waiting.Summary.State == JobState.Queued && waiting.EnvironmentBuild is { State: EnvironmentBuildState.Building })
        {
            Assert.StartsWith("Building environment (kaniko) — ", waiting.Explanation!.Title, StringComparison.Ordinal);
        }
        var done = await fixture.WaitForStateAsync(ws, first.Value.Job.Name, JobState.Completed, Ct);
        var image = done.Image!;

        var builder = Assert.Single(await BuilderPodsAsync(ws));
        Assert.Equal([EnvironmentBuildManifests.FetchContextContainer], builder.Spec.InitContainers.Select(c => c.Name));
        Assert.Contains($"--destination={image}", builder.Spec.Containers[0].Args);
        Assert.Contains(builder.Spec.Volumes, v => v.Secret?.SecretName == "registry-push");
        var build = await studio.GetRequiredService<EnvironmentBuildService>().FindAsync(image, Ct);
        Assert.NotNull(build);
        Assert.Equal(EnvironmentBuildState.Succeeded, build.State);
        Assert.Equal(first.Value.Job.Name, build.JobName);
        Assert.Equal(builder.Metadata.Name, build.BuilderPod);
        Assert.Contains($"Pushed {image}@sha256:", build.LogTail, StringComparison.Ordinal);
        Assert.NotNull(done.EnvironmentBuild);
        Assert.True(done.EnvironmentBuild.BuiltByThisJob);
        Assert.Equal($"built in the cluster as {image} by kaniko", done.EnvironmentBuild.Prepared);
        Assert.Contains("RUN pip install --no-cache-dir -r requirements.txt", done.EnvironmentBuild.Log, StringComparison.Ordinal);

        // The same context again: the image is there, so no builder runs and the job is not held.
        files.Position = 0;
        var second = await submissions.SubmitAsync(ws.Scientist, ws.Name, import with { Spec = import.Spec with { DisplayName = "again" } }, files, null, Ct);
        Assert.True(second.IsSuccess, string.Join("; ", second.Errors.Select(e => e.Message)));
        var again = await fixture.WaitForKubernetesJobAsync(ws, second.Value.Job.Name, Ct);
        Assert.NotEqual(true, again.Spec.Suspend);
        var reused = await fixture.WaitForStateAsync(ws, second.Value.Job.Name, JobState.Completed, Ct);
        Assert.Equal(image, reused.Image);
        Assert.False(reused.EnvironmentBuild!.BuiltByThisJob);
        Assert.StartsWith($"reused the build of job {first.Value.Job.Name}", reused.EnvironmentBuild.Prepared, StringComparison.Ordinal);
        Assert.Single(await BuilderPodsAsync(ws));
    }

    [Fact]
    public async Task FailingDockerfile_FailsTheJobAsEnvironmentFailed_NamingTheStepAndTheBuildLog()
    {
        var ws = await fixture.NewWorkspaceAsync(Ct);
        await using var studio = await BuildingStudioAsync();
        var (import, files) = Sample("env-failing");

        var submitted = await studio.GetRequiredService<JobCodeSubmission>().SubmitAsync(ws.Scientist, ws.Name, import, files, null, Ct);

        Assert.True(submitted.IsSuccess, string.Join("; ", submitted.Errors.Select(e => $"{e.Field}: {e.Message}")));
        var failed = await fixture.WaitForStateAsync(ws, submitted.Value.Job.Name, JobState.Failed, Ct);
        Assert.Equal(JobStatusMapping.EnvironmentFailed, failed.Summary.Reason);
        Assert.NotNull(failed.Explanation);
        Assert.StartsWith("Image build failed: RUN false — ", failed.Explanation.Detail, StringComparison.Ordinal);
        Assert.Contains("exit status 1", failed.Explanation.Detail, StringComparison.Ordinal);
        Assert.Contains("Running: [/bin/sh -c false]", failed.Explanation.Detail, StringComparison.Ordinal);
        Assert.Empty(failed.Pods);
        var build = await studio.GetRequiredService<EnvironmentBuildService>().FindAsync(failed.Image!, Ct);
        Assert.Equal(EnvironmentBuildState.Failed, build!.State);
    }

    [Fact]
    public void BuilderManifest_CarriesNoCredential_OnlyTheSecretReference_AndTagsByTheContentHash()
    {
        var options = new EnvironmentBuildOptions { Registry = Registry, PushSecret = "registry-push", Timeout = TimeSpan.FromMinutes(20) };
        var environment = new JobEnvironment { BuildSnapshot = "sha256:" + new string('a', 64), DockerfilePath = "docker/Dockerfile" };
        var tag = EnvironmentBuilds.ContentTag(environment);
        var image = EnvironmentBuild.ImageOf(Registry, tag);

        var manifest = EnvironmentBuildManifests.Build("ns-a", EnvironmentBuildManifests.JobName(tag) + "-1", tag, image, environment.Dockerfile, "https://studio.example/artifacts/snapshots/x.zip?sig=abc", options, "busybox:1.36");
        var yaml = JobManifests.ToYaml([manifest]);

        Assert.Equal(tag, EnvironmentBuilds.ContentTag(environment with { }));
        Assert.NotEqual(tag, EnvironmentBuilds.ContentTag(environment with { DockerfilePath = "Dockerfile" }));
        Assert.Contains($"--destination={Registry}/studio-env:{tag}", yaml, StringComparison.Ordinal);
        Assert.Contains("--dockerfile=/workspace/docker/Dockerfile", yaml, StringComparison.Ordinal);
        Assert.Contains("secretName: registry-push", yaml, StringComparison.Ordinal);
        Assert.Contains("mountPath: /kaniko/.docker", yaml, StringComparison.Ordinal);
        Assert.Contains("activeDeadlineSeconds: 1200", yaml, StringComparison.Ordinal);
        Assert.DoesNotContain("auths", yaml, StringComparison.Ordinal);
        Assert.DoesNotContain("password", yaml, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("privileged: true", yaml, StringComparison.Ordinal);
        Assert.Contains("automountServiceAccountToken: false", yaml, StringComparison.Ordinal);
    }

    [Fact]
    public void FailureSentence_NamesTheFailedStepAndTheBuildersError()
    {
        const string log = "INFO[0000] Retrieving image manifest python:3.11-slim\nINFO[0001] RUN pip install nope\nINFO[0001] Running: [/bin/sh -c pip install nope]\nerror building image: error building stage: failed to execute command: waiting for process to exit: exit status 1\n";

        Assert.Equal(
            "Image build failed: RUN pip install nope — error building stage: failed to execute command: waiting for process to exit: exit status 1.",
            EnvironmentBuildService.FailureSentence(log, "error building stage: failed to execute command: waiting for process to exit: exit status 1"));
        Assert.Equal("Image build failed: the builder exited with an error.", EnvironmentBuildService.FailureSentence(null, null));
    }
}
