using k8s;
using Microsoft.Extensions.DependencyInjection;
using Studio.Domain.Jobs;
using Studio.Infrastructure.Artifacts;
using Studio.Infrastructure.Environments;
using Studio.Infrastructure.Jobs;
using Studio.Infrastructure.Tests.Artifacts;

namespace Studio.Infrastructure.Tests.Jobs;

/// <summary>
/// Jobs that bring their environment (#18): <c>environment: file:...</c> beside the job and inline conda files are
/// installed when the container starts — the conda file fetched by the pod through a signed URL, the command wrapped to
/// install it first — on the sandbox, whose kubelet fetches the file for real and simulates the install; a package that
/// cannot be installed fails the job with "Environment could not be prepared"; missing files and builds without a
/// registry are refused naming the key.
/// </summary>
public sealed class JobEnvironmentTests(JobsFixture fixture) : IClassFixture<JobsFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private const string Conda = """
        name: train-env
        channels:
          - conda-forge
        dependencies:
          - python=3.10
          - pip
          - numpy=1.26
          - pip:
              - torch==2.3.0
              - mlflow
        """;

    private static string Message(Domain.Common.Result<JobSubmittedWithCode> r) => string.Join("; ", r.Errors.Select(e => $"{e.Field}: {e.Message}"));

    [Fact]
    public async Task FileEnvironment_BesideTheJob_IsInstalledAtStart_AndTheJobCompletes()
    {
        var ws = await fixture.NewWorkspaceAsync(Ct);
        const string yaml = """
            code: src
            command: python train.py
            environment: file:./env/environment.yml
            """;
        const string environment = """
            $schema: https://azuremlschemas.azureedge.net/latest/environment.schema.json
            name: train-env
            image: mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu22.04:20240709.v1
            conda_file: conda.yml
            """;
        var import = fixture.Submissions.ImportYaml(yaml, TestWorkspace.Compute, null).Value;
        var files = TestZips.Create(("job.yml", yaml), ("src/train.py", "print('train')"), ("env/environment.yml", environment), ("env/conda.yml", Conda));

        var submitted = await fixture.CodeSubmissions.SubmitAsync(ws.Scientist, ws.Name, import, files, null, Ct);

        Assert.True(submitted.IsSuccess, Message(submitted));
        Assert.Contains(submitted.Value.Job.Unsupported, i => i.Path == "environment.name");
        var done = await fixture.WaitForStateAsync(ws, submitted.Value.Job.Name, JobState.Completed, Ct);
        Assert.Equal("mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu22.04:20240709.v1", done.Spec.Image);
        Assert.Equal(Conda, done.Spec.InlineEnvironment!.CondaFile);
        Assert.Null(done.Spec.InlineEnvironment.File);

        var kubernetesName = await fixture.KubernetesNameAsync(ws, submitted.Value.Job.Name, Ct);
        var pod = Assert.Single((await fixture.Client.CoreV1.ListNamespacedPodAsync(ws.Namespace, labelSelector: $"studio.io/job={kubernetesName}", cancellationToken: Ct)).Items);
        Assert.Equal([JobManifests.FetchCodeContainer, JobManifests.FetchEnvironmentContainer], pod.Spec.InitContainers.Select(c => c.Name));
        var fetch = pod.Spec.InitContainers[1];
        var url = new Uri(fetch.Env.Single(e => e.Name == JobManifests.EnvironmentUrlVariable).Value);
        Assert.Equal(fixture.Artifacts.Address.Authority, url.Authority);
        Assert.Contains("/artifacts/environments/conda/", url.AbsolutePath, StringComparison.Ordinal);
        Assert.True(fetch.SecurityContext.ReadOnlyRootFilesystem);
        Assert.StartsWith(JobManifests.EnvironmentMarker, pod.Spec.Containers[0].Args[0], StringComparison.Ordinal);
        Assert.EndsWith("python train.py", pod.Spec.Containers[0].Args[0], StringComparison.Ordinal);
        Assert.Contains(pod.Spec.Containers[0].VolumeMounts, m => m.MountPath == JobManifests.EnvironmentPath);
        var logs = await fixture.Logs.LogsAsync(ws.Reader, ws.Name, submitted.Value.Job.Name, null, null, Ct);
        Assert.Contains(logs.Value, l => l.Text.Contains("installing the conda file with conda (conda env update -n base", StringComparison.Ordinal));
    }

    [Fact]
    public async Task InlineCondaFile_NamingAPackageThatCannotBeInstalled_FailsTheJob_AndTheExplainerSaysTheEnvironmentCouldNotBePrepared()
    {
        var ws = await fixture.NewWorkspaceAsync(Ct);
        const string yaml = """
            command: python -c 'print(1)'
            environment:
              image: python:3.12
              conda_file:
                dependencies:
                  - python=3.12
                  - pip:
                      - numpy
                      - studio-fail-install==1.0
            """;
        var imported = fixture.Submissions.ImportYaml(yaml, TestWorkspace.Compute, null);
        Assert.True(imported.IsSuccess);
        Assert.DoesNotContain(imported.Value.Unsupported, i => i.Path.StartsWith("environment", StringComparison.Ordinal));

        var submitted = await fixture.Submissions.SubmitAsync(ws.Scientist, ws.Name, imported.Value.Spec, Ct);

        Assert.True(submitted.IsSuccess, string.Join("; ", submitted.Errors.Select(e => e.Message)));
        var failed = await fixture.WaitForStateAsync(ws, submitted.Value.Name, JobState.Failed, Ct);
        Assert.Equal(JobStatusMapping.EnvironmentFailed, failed.Summary.Reason);
        Assert.Equal("Environment could not be prepared", failed.Explanation!.Title);
        Assert.StartsWith("Environment could not be prepared: pip install exited with code 1", failed.Explanation.Detail, StringComparison.Ordinal);
        var logs = await fixture.Logs.LogsAsync(ws.Reader, ws.Name, submitted.Value.Name, null, null, Ct);
        Assert.Contains(logs.Value, l => l.Text.Contains("conda is not on the image; installing the pip: list with pip (2 packages)", StringComparison.Ordinal));
        Assert.Contains(logs.Value, l => l.Text.Contains("No matching distribution found for studio-fail-install==1.0", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SameCondaFile_IsStoredOnce_UnderItsContentHash()
    {
        var ws = await fixture.NewWorkspaceAsync(Ct);
        var spec = new JobSpec { Compute = TestWorkspace.Compute, Command = "true", Image = "python:3.12", InlineEnvironment = new JobEnvironment { CondaFile = Conda + "# " + Guid.NewGuid() + "\n" } };
        var store = fixture.Services.GetRequiredService<IArtifactStore>();
        var before = (await store.ListAsync("environments/conda/", 100_000, Ct)).Count;

        var first = await fixture.Submissions.SubmitAsync(ws.Scientist, ws.Name, spec with { Name = "env-one" }, Ct);
        var second = await fixture.Submissions.SubmitAsync(ws.Scientist, ws.Name, spec with { Name = "env-two" }, Ct);

        Assert.True(first.IsSuccess && second.IsSuccess);
        Assert.Equal(before + 1, (await store.ListAsync("environments/conda/", 100_000, Ct)).Count);
    }

    [Fact]
    public async Task FileEnvironment_NotAmongTheFilesSent_IsRefusedNamingEnvironment_AndNothingIsSubmitted()
    {
        var ws = await fixture.NewWorkspaceAsync(Ct);
        const string yaml = "command: python train.py\nenvironment: file:env.yml\n";
        var import = fixture.Submissions.ImportYaml(yaml, TestWorkspace.Compute, null).Value;

        var missing = await fixture.CodeSubmissions.SubmitAsync(ws.Scientist, ws.Name, import, TestZips.Create(("job.yml", yaml), ("train.py", "x")), null, Ct);
        var withoutFiles = await fixture.Submissions.SubmitYamlAsync(ws.Scientist, ws.Name, yaml, TestWorkspace.Compute, null, null, Ct);

        Assert.False(missing.IsSuccess);
        Assert.Equal(("environment", JobEnvironmentFiles.MissingCode), (missing.Errors[0].Field, missing.Errors[0].Code));
        Assert.Contains("'file:env.yml' is not among the files sent with the job", missing.Errors[0].Message, StringComparison.Ordinal);
        Assert.False(withoutFiles.IsSuccess);
        Assert.Equal(("environment", "environment_files_not_sent"), (withoutFiles.Errors[0].Field, withoutFiles.Errors[0].Code));
        var page = await fixture.Queries.ListAsync(ws.Reader, ws.Name, new JobQuery(), Ct);
        Assert.Equal(0, page.Value.Total);
    }

    [Fact]
    public async Task BuildEnvironment_WithoutABuildRegistry_IsRefusedNamingEnvironmentBuild()
    {
        var ws = await fixture.NewWorkspaceAsync(Ct);
        const string yaml = "command: python train.py\nenvironment:\n  build:\n    path: ./docker\n";
        var import = fixture.Submissions.ImportYaml(yaml, TestWorkspace.Compute, null).Value;

        var submitted = await fixture.CodeSubmissions.SubmitAsync(ws.Scientist, ws.Name, import, TestZips.Create(("job.yml", yaml), ("docker/Dockerfile", "FROM python:3.12\n"), ("train.py", "x")), null, Ct);

        Assert.False(submitted.IsSuccess);
        Assert.Equal("environment.build", submitted.Errors[0].Field);
        Assert.Contains(EnvironmentBuildOptions.SectionName + ":Registry", submitted.Errors[0].Message, StringComparison.Ordinal);
    }
}
