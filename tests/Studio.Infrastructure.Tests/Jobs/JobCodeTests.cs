using System.IO.Compression;
using k8s;
using Microsoft.Extensions.DependencyInjection;
using Studio.Domain.Artifacts;
using Studio.Domain.Jobs;
using Studio.Infrastructure.Artifacts;
using Studio.Infrastructure.Datastores;
using Studio.Infrastructure.Jobs;
using Studio.Infrastructure.Tests.Artifacts;

namespace Studio.Infrastructure.Tests.Jobs;

/// <summary>
/// Jobs with code on the sandbox: the sample YAML files with their <c>src/</c> folders run to Completed in their code
/// snapshot, fetched for real by the sandbox's kubelet from the studio's signed URL; an expired URL fails the pod with
/// the server's answer and the failure explainer says so.
/// </summary>
public sealed class JobCodeTests(JobsFixture fixture) : IClassFixture<JobsFixture>
{
    private static readonly string Samples = Path.Combine(AppContext.BaseDirectory, "Samples");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string Sample(string file) => File.ReadAllText(Path.Combine(Samples, "azureml-examples", file));

    /// <summary>The files beside a sample YAML: the YAML itself and its code folder (<c>src/</c>).</summary>
    private static MemoryStream FilesBeside(string yaml, string codeFolder)
    {
        var root = Path.Combine(Samples, "code", codeFolder);
        var files = Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .Select(f => (Path.GetRelativePath(root, f).Replace('\\', '/'), File.ReadAllText(f)))
            .Append(("job.yml", yaml));
        return TestZips.Create(files, symlink: null);
    }

    [Fact]
    public async Task CifarSample_WithItsSrcFolder_AndItsDataOnTheWorkspaceStore_RunsToCompletedInItsCodeSnapshot()
    {
        var ws = await fixture.NewWorkspaceAsync(Ct);
        // The sample's data asset points at a folder of the workspace's own store (the registry resolves azureml:cifar-10-example@latest to such a path).
        var blobstore = fixture.Services.GetRequiredService<DatastoreStores>().For(Datastore.StudioDefault(ws.Id), DatastoreCredentials.Empty);
        await blobstore.UploadAsync("cifar-10/cifar-10-batches-py/data_batch_1", new MemoryStream(new byte[4096]), Ct);
        await blobstore.UploadAsync("cifar-10/cifar-10-batches-py/batches.meta", new MemoryStream("meta"u8.ToArray()), Ct);
        var yaml = Sample("jobs__single-step__pytorch__cifar-distributed__job.yml")
            .Replace("azureml:cifar-10-example@latest", "azureml://datastores/workspaceblobstore/paths/cifar-10/", StringComparison.Ordinal);
        var import = fixture.Submissions.ImportYaml(yaml, TestWorkspace.Compute, null).Value;
        Assert.Empty(import.Unsupported);

        var submitted = await fixture.CodeSubmissions.SubmitAsync(ws.Scientist, ws.Name, import, FilesBeside(yaml, "cifar-distributed"), null, Ct);

        Assert.True(submitted.IsSuccess, string.Join("; ", submitted.Errors.Select(e => $"{e.Field}: {e.Message}")));
        var (job, stored) = submitted.Value;
        Assert.NotNull(stored);
        Assert.Equal((1, false), (stored.Snapshot.FileCount, stored.Reused));
        var done = await fixture.WaitForStateAsync(ws, job.Name, JobState.Completed, Ct, 120);
        Assert.Equal(("src", stored.Snapshot.Hash.ToString()), (done.Spec.Code, done.Spec.CodeSnapshot));
        Assert.Equal(2, done.Pods.Count);

        // Each rank fetched the snapshot in its init container, and runs in it; the pod holds a signed URL, no credential.
        var kubernetesName = await fixture.KubernetesNameAsync(ws, job.Name, Ct);
        var pods = (await fixture.Client.CoreV1.ListNamespacedPodAsync(ws.Namespace, labelSelector: $"studio.io/job={kubernetesName}", cancellationToken: Ct)).Items;
        Assert.Equal(2, pods.Count);
        foreach (var pod in pods)
        {
            Assert.Equal([JobManifests.FetchCodeContainer, JobManifests.FetchInputsContainer], pod.Spec.InitContainers.Select(c => c.Name));
            var fetch = pod.Spec.InitContainers[0];
            var inputs = pod.Spec.InitContainers[1];
            Assert.Equal(2, inputs.Env.Count(e => e.Name.EndsWith("_URL", StringComparison.Ordinal)));
            Assert.Contains("/mnt/studio/inputs/cifar/cifar-10-batches-py/data_batch_1", inputs.Args[0], StringComparison.Ordinal);
            Assert.All(inputs.Env, e => Assert.Contains($"/artifacts/workspaces/{ws.Id:N}/cifar-10/cifar-10-batches-py/", e.Value, StringComparison.Ordinal));
            var url = new Uri(fetch.Env.Single(e => e.Name == JobManifests.CodeUrlVariable).Value);
            Assert.Equal(fixture.Artifacts.Address.Authority, url.Authority);
            Assert.EndsWith($"/artifacts/snapshots/{stored.Snapshot.Hash.Hex}.zip", url.AbsolutePath, StringComparison.Ordinal);
            Assert.Equal(JobManifests.CodePath, pod.Spec.Containers[0].WorkingDir);
            Assert.All(pod.Status.InitContainerStatuses, s => Assert.Equal(0, s.State.Terminated.ExitCode));
            Assert.True(fetch.SecurityContext.ReadOnlyRootFilesystem);
            Assert.True(fetch.SecurityContext.RunAsNonRoot);
        }

        var code = await fixture.Services.GetRequiredService<JobCodeQuery>().FilesAsync(ws.Reader, ws.Name, job.Name, Ct);
        Assert.Equal(["train.py"], code.Value.Files.Select(f => f.Path));
        var download = await fixture.Services.GetRequiredService<JobCodeQuery>().OpenAsync(ws.Reader, ws.Name, job.Name, Ct);
        await using (var zipStream = download.Value.Zip)
        {
            var copy = new MemoryStream();
            await zipStream.CopyToAsync(copy, Ct);
            using var zip = new ZipArchive(copy);
            Assert.Equal(["train.py"], zip.Entries.Select(e => e.FullName));
        }
    }

    [Fact]
    public async Task HelloWorldInputSample_WithItsCode_RunsToCompleted_AndTheSameCodeIsNotUploadedTwice()
    {
        var ws = await fixture.NewWorkspaceAsync(Ct);
        var yaml = Sample("jobs__basics__hello-world-input.yml");
        var import = fixture.Submissions.ImportYaml(yaml, TestWorkspace.Compute, null).Value;

        var first = await fixture.CodeSubmissions.SubmitAsync(ws.Scientist, ws.Name, import, FilesBeside(yaml, "hello-world-input"), null, Ct);
        var second = await fixture.CodeSubmissions.SubmitAsync(ws.Scientist, ws.Name, import with { Spec = import.Spec with { Name = "hello-again" } }, FilesBeside(yaml, "hello-world-input"), null, Ct);

        Assert.True(first.IsSuccess, string.Join("; ", first.Errors.Select(e => $"{e.Field}: {e.Message}")));
        Assert.True(second.IsSuccess, string.Join("; ", second.Errors.Select(e => $"{e.Field}: {e.Message}")));
        Assert.False(first.Value.Snapshot!.Reused);
        Assert.True(second.Value.Snapshot!.Reused);
        Assert.Equal(first.Value.Snapshot.Snapshot.Hash, second.Value.Snapshot.Snapshot.Hash);
        var done = await fixture.WaitForStateAsync(ws, first.Value.Job.Name, JobState.Completed, Ct);
        Assert.Equal(".", done.Spec.Code);
        var logs = await fixture.Logs.LogsAsync(ws.Reader, ws.Name, first.Value.Job.Name, null, null, Ct);
        Assert.Contains(logs.Value, l => l.Text.Contains("hello world", StringComparison.Ordinal));
        await fixture.WaitForStateAsync(ws, "hello-again", JobState.Completed, Ct);
    }

    [Fact]
    public async Task LocalDataInputs_SentWithTheJob_AreFetchedBeforeTheCommand_AndTheCommandGetsTheirPaths()
    {
        var ws = await fixture.NewWorkspaceAsync(Ct);
        const string yaml = """
            code: src
            command: python train.py --data ${{inputs.images}} --labels ${{inputs.labels}}
            environment: {image: python:3.12}
            inputs:
              images: {type: uri_folder, path: ./data/images}
              labels: {type: uri_file, path: ./data/labels.csv, mode: download}
            """;
        var import = fixture.Submissions.ImportYaml(yaml, TestWorkspace.Compute, null).Value;
        var files = TestZips.Create(("job.yml", yaml), ("src/train.py", "print('train')"), ("data/images/a.png", "png-a"), ("data/images/b.png", "png-b"), ("data/labels.csv", "a,1\nb,0\n"));

        var submitted = await fixture.CodeSubmissions.SubmitAsync(ws.Scientist, ws.Name, import, files, null, Ct);

        Assert.True(submitted.IsSuccess, string.Join("; ", submitted.Errors.Select(e => $"{e.Field}: {e.Message}")));
        Assert.Empty(import.Unsupported);
        var done = await fixture.WaitForStateAsync(ws, submitted.Value.Job.Name, JobState.Completed, Ct);
        Assert.Equal("python train.py --data /mnt/studio/inputs/images --labels /mnt/studio/inputs/labels/labels.csv", done.Spec.ResolvedCommand());
        Assert.All(done.Spec.DataInputs.Values, i => Assert.StartsWith("sha256:", i.Snapshot, StringComparison.Ordinal));
        Assert.NotEqual(done.Spec.DataInputs["images"].Snapshot, done.Spec.CodeSnapshot);
        var kubernetesName = await fixture.KubernetesNameAsync(ws, submitted.Value.Job.Name, Ct);
        var pod = Assert.Single((await fixture.Client.CoreV1.ListNamespacedPodAsync(ws.Namespace, labelSelector: $"studio.io/job={kubernetesName}", cancellationToken: Ct)).Items);
        Assert.Equal([JobManifests.FetchCodeContainer, JobManifests.FetchInputsContainer], pod.Spec.InitContainers.Select(c => c.Name));
        Assert.All(pod.Status.InitContainerStatuses, s => Assert.Equal(0, s.State.Terminated.ExitCode));
        Assert.Contains(pod.Spec.Containers[0].VolumeMounts, m => m.MountPath == JobDataInput.Root && m.ReadOnlyProperty == true);
    }

    [Fact]
    public async Task ExpiredCodeUrl_FailsThePodWithTheServersAnswer_AndTheExplainerSaysSo()
    {
        var ws = await fixture.NewWorkspaceAsync(Ct);
        // A second studio replica on the same database (so the same key ring) whose URLs are already expired when signed.
        await using var replica = JobsFixture.CreateServices(fixture.DataFolder, new Dictionary<string, string?>
        {
            [$"{ArtifactsOptions.SectionName}:UrlLifetime"] = "-00:10:00",
            [$"{ArtifactsOptions.SectionName}:QueueAllowance"] = "00:00:00",
        });
        ((TestArtifactBaseUrl)replica.GetRequiredService<IArtifactBaseUrl>()).Current = fixture.Artifacts.Address;
        var import = new JobImport(new JobSpec { Compute = TestWorkspace.Compute, Command = "python train.py", Image = "python:3.12" }, []);

        var submitted = await replica.GetRequiredService<JobCodeSubmission>().SubmitAsync(ws.Scientist, ws.Name, import, TestZips.Create(("train.py", "print('hi')")), null, Ct);

        Assert.True(submitted.IsSuccess, string.Join("; ", submitted.Errors.Select(e => $"{e.Field}: {e.Message}")));
        var failed = await fixture.WaitForStateAsync(ws, submitted.Value.Job.Name, JobState.Failed, Ct);
        Assert.Equal(JobStatusMapping.FetchFailed, failed.Summary.Reason);
        Assert.NotNull(failed.Explanation);
        Assert.Contains("could not fetch the job's code", failed.Explanation.Detail, StringComparison.Ordinal);
        Assert.Contains("403", failed.Explanation.Detail, StringComparison.Ordinal);
        Assert.Contains("expired", failed.Explanation.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task YamlWithCode_SubmittedWithoutItsFiles_IsRefusedNamingCode()
    {
        var ws = await fixture.NewWorkspaceAsync(Ct);

        var submitted = await fixture.Submissions.SubmitYamlAsync(ws.Scientist, ws.Name, Sample("jobs__single-step__pytorch__cifar-distributed__job.yml"), TestWorkspace.Compute, null, null, Ct);

        Assert.False(submitted.IsSuccess);
        Assert.Equal("code", submitted.Errors[0].Field);
        Assert.Contains("no code was sent", submitted.Errors[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CodeSubmit_ByAReader_StoresNothing()
    {
        var ws = await fixture.NewWorkspaceAsync(Ct);
        var store = fixture.Services.GetRequiredService<IArtifactStore>();
        var zip = TestZips.Create(("unique-" + Guid.NewGuid().ToString("N") + ".py", "x"));
        var import = new JobImport(new JobSpec { Compute = TestWorkspace.Compute, Command = "python x.py", Image = "python:3.12" }, []);
        var before = (await store.ListAsync("snapshots/", 100_000, Ct)).Count;

        var submitted = await fixture.CodeSubmissions.SubmitAsync(ws.Reader, ws.Name, import, zip, null, Ct);

        Assert.False(submitted.IsSuccess);
        Assert.Equal(before, (await store.ListAsync("snapshots/", 100_000, Ct)).Count);
    }
}
