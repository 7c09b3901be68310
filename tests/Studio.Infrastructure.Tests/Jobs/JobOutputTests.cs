using Microsoft.Extensions.DependencyInjection;
using Studio.Domain.Artifacts;
using Studio.Domain.Jobs;
using Studio.Infrastructure.Assets;
using Studio.Infrastructure.Datastores;
using Studio.Infrastructure.Jobs;
using Studio.Infrastructure.Tests.Artifacts;

namespace Studio.Infrastructure.Tests.Jobs;

/// <summary>
/// Jobs writing <c>${{outputs.y}}</c> on the sandbox: its kubelet stops the upload sidecar after the command and the
/// files the command writes are posted for real through the signed write URL; the job's outputs are then complete and
/// readable through the studio (also when the command failed), and a job whose pod was killed first shows "outputs
/// incomplete" with the reason.
/// </summary>
public sealed class JobOutputTests(JobsFixture fixture) : IClassFixture<JobsFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private JobOutputs Outputs => fixture.Services.GetRequiredService<JobOutputs>();

    private JobOutputRegistration Registration => fixture.Services.GetRequiredService<JobOutputRegistration>();

    [Fact]
    public async Task HelloWorldOutputSample_WithCodeInputAndOutput_RunsFromYamlToCompleted_AndItsOutputIsDownloadable()
    {
        var ws = await fixture.NewWorkspaceAsync(Ct);
        var blobstore = fixture.Services.GetRequiredService<DatastoreStores>().For(Datastore.StudioDefault(ws.Id), DatastoreCredentials.Empty);
        await blobstore.UploadAsync("hello-data/a.txt", new MemoryStream("a"u8.ToArray()), Ct);
        var root = Path.Combine(AppContext.BaseDirectory, "Samples", "code", "hello-world-output");
        var yaml = await File.ReadAllTextAsync(Path.Combine(root, "job.yml"), Ct);
        var files = TestZips.Create(Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories).Select(f => (Path.GetRelativePath(root, f).Replace('\\', '/'), File.ReadAllText(f))), symlink: null);
        var import = fixture.Submissions.ImportYaml(yaml, TestWorkspace.Compute, null).Value;

        var submitted = await fixture.CodeSubmissions.SubmitAsync(ws.Scientist, ws.Name, import, files, null, Ct);

        Assert.Empty(import.Unsupported);
        Assert.True(submitted.IsSuccess, string.Join("; ", submitted.Errors.Select(e => $"{e.Field}: {e.Message}")));
        var job = submitted.Value.Job.Name;
        await fixture.WaitForStateAsync(ws, job, JobState.Completed, Ct, 120);
        Assert.Equal(["hello.py"], (await fixture.Services.GetRequiredService<JobCodeQuery>().FilesAsync(ws.Reader, ws.Name, job, Ct)).Value.Files.Select(f => f.Path));
        var output = Assert.Single((await Outputs.ListAsync(ws.Reader, ws.Name, job, Ct)).Value);
        Assert.Equal(("hello_output", JobOutputView.Complete, 1), (output.Name, output.State, output.Files));
        await using var zip = new MemoryStream();
        Assert.True((await Outputs.ZipAsync(ws.Reader, ws.Name, job, "hello_output", zip, Ct)).Value);
        zip.Position = 0;
        using var archive = new System.IO.Compression.ZipArchive(zip);
        var entry = Assert.Single(archive.Entries);
        Assert.Equal("helloworld.txt", entry.FullName);
        using var text = new StreamReader(entry.Open());
        Assert.Equal("hello world\n", await text.ReadToEndAsync(Ct));
    }

    [Fact]
    public async Task JobWritingOutputs_Completes_AndTheFilesItWroteAreUploadedAndReadable()
    {
        var ws = await fixture.NewWorkspaceAsync(Ct);
        var yaml = """
            command: echo hello > ${{outputs.model}}/weights.txt && echo again >> ${{outputs.model}}/weights.txt && echo 0.93 > ${{outputs.metrics}}
            environment: {image: python:3.12-slim}
            outputs:
              model: {type: uri_folder, mode: rw_mount}
              metrics: {type: uri_file, mode: upload, path: "azureml://datastores/workspaceblobstore/paths/results/run1/accuracy.txt"}
            """;

        var submitted = await fixture.Submissions.SubmitYamlAsync(ws.Scientist, ws.Name, yaml, TestWorkspace.Compute, null, null, Ct);

        Assert.True(submitted.IsSuccess, string.Join("; ", submitted.Errors.Select(e => $"{e.Field}: {e.Message}")));
        Assert.Empty(submitted.Value.Unsupported);
        var done = await fixture.WaitForStateAsync(ws, submitted.Value.Name, JobState.Completed, Ct, 120);
        var outputs = (await Outputs.ListAsync(ws.Scientist, ws.Name, submitted.Value.Name, Ct)).Value;
        Assert.Equal(["metrics", "model"], outputs.Select(o => o.Name));
        Assert.All(outputs, o => Assert.Equal(JobOutputView.Complete, o.State));
        Assert.Equal($"azureml://datastores/workspaceblobstore/paths/azureml/{submitted.Value.Name}/model/", outputs[1].Location);
        Assert.Equal("azureml://datastores/workspaceblobstore/paths/results/run1/", outputs[0].Location);
        var files = (await Outputs.FilesAsync(ws.Scientist, ws.Name, submitted.Value.Name, "model", Ct)).Value.Files;
        Assert.Equal(["weights.txt"], files.Select(f => f.Path));
        await using (var weights = (await Outputs.OpenAsync(ws.Scientist, ws.Name, submitted.Value.Name, "model", "weights.txt", Ct)).Value)
        {
            Assert.Equal("hello\nagain\n", await new StreamReader(weights).ReadToEndAsync(Ct));
        }

        await using (var accuracy = (await Outputs.OpenAsync(ws.Scientist, ws.Name, submitted.Value.Name, "metrics", "accuracy.txt", Ct)).Value)
        {
            Assert.Equal("0.93\n", await new StreamReader(accuracy).ReadToEndAsync(Ct));
        }

        Assert.Contains("echo hello > /mnt/studio/outputs/model/weights.txt", done.AppliedManifests, StringComparison.Ordinal);
        Assert.Contains("echo 0.93 > /mnt/studio/outputs/metrics/accuracy.txt", done.AppliedManifests, StringComparison.Ordinal);
        Assert.Contains("restartPolicy: Always", done.AppliedManifests, StringComparison.Ordinal);
        var model = await Registration.RegisterAsync(ws.Scientist, ws.Name, submitted.Value.Name, "model", new JobOutputRegistrationRequest("model", "weights"), Ct);
        var data = await Registration.RegisterAsync(ws.Scientist, ws.Name, submitted.Value.Name, "metrics", new JobOutputRegistrationRequest("data", "accuracy"), Ct);
        var byReader = await Registration.RegisterAsync(ws.Reader, ws.Name, submitted.Value.Name, "model", new JobOutputRegistrationRequest("model", "weights"), Ct);
        Assert.True(model.IsSuccess, string.Join("; ", model.Errors.Select(e => $"{e.Field}: {e.Message}")));
        Assert.Equal(("1", outputs[1].Location, submitted.Value.Name, "model"), (model.Value.Version, model.Value.Path, model.Value.Job, model.Value.Output));
        Assert.True(data.IsSuccess, string.Join("; ", data.Errors.Select(e => $"{e.Field}: {e.Message}")));
        Assert.Equal(("uri_file", "azureml://datastores/workspaceblobstore/paths/results/run1/accuracy.txt"), (data.Value.Type, data.Value.Path));
        Assert.Equal(Studio.Domain.Common.ErrorKind.Forbidden, byReader.Errors[0].Kind);
        var other = await fixture.NewWorkspaceAsync(Ct);
        Assert.Equal(Studio.Domain.Common.ErrorKind.NotFound, (await Outputs.ListAsync(other.Scientist, ws.Name, submitted.Value.Name, Ct)).Errors[0].Kind);
    }

    [Fact]
    public async Task FailedCommand_StillUploadsItsOutputs()
    {
        var ws = await fixture.NewWorkspaceAsync(Ct);
        var yaml = """
            command: echo partial > ${{outputs.logs}}/log.txt; exit 3
            environment: {image: python:3.12-slim}
            outputs:
              logs: {type: uri_folder}
            """;

        var submitted = await fixture.Submissions.SubmitYamlAsync(ws.Scientist, ws.Name, yaml, TestWorkspace.Compute, null, null, Ct);

        Assert.True(submitted.IsSuccess, string.Join("; ", submitted.Errors.Select(e => $"{e.Field}: {e.Message}")));
        await fixture.WaitForStateAsync(ws, submitted.Value.Name, JobState.Failed, Ct, 120);
        var output = Assert.Single((await Outputs.ListAsync(ws.Scientist, ws.Name, submitted.Value.Name, Ct)).Value);
        Assert.Equal(JobOutputView.Complete, output.State);
        await using var zip = new MemoryStream();
        Assert.True((await Outputs.ZipAsync(ws.Scientist, ws.Name, submitted.Value.Name, "logs", zip, Ct)).Value);
        zip.Position = 0;
        using var archive = new System.IO.Compression.ZipArchive(zip);
        Assert.Equal(["log.txt"], archive.Entries.Select(e => e.FullName));
    }

    [Fact]
    public async Task JobCanceledBeforeItsUpload_ShowsOutputsIncomplete_WithTheReason()
    {
        var ws = await fixture.NewWorkspaceAsync(Ct);
        var yaml = """
            command: echo x > ${{outputs.out}}/x.txt && sleep infinity
            environment: {image: python:3.12-slim}
            outputs:
              out: {type: uri_folder}
            """;
        var submitted = await fixture.Submissions.SubmitYamlAsync(ws.Scientist, ws.Name, yaml, TestWorkspace.Compute, null, null, Ct);
        Assert.True(submitted.IsSuccess, string.Join("; ", submitted.Errors.Select(e => $"{e.Field}: {e.Message}")));
        await fixture.WaitForStateAsync(ws, submitted.Value.Name, JobState.Running, Ct, 120);
        var pending = Assert.Single((await Outputs.ListAsync(ws.Scientist, ws.Name, submitted.Value.Name, Ct)).Value);
        var early = await Outputs.OpenAsync(ws.Scientist, ws.Name, submitted.Value.Name, "out", "x.txt", Ct);

        var whileRunning = await Registration.RegisterAsync(ws.Scientist, ws.Name, submitted.Value.Name, "out", new JobOutputRegistrationRequest("data", "early"), Ct);

        Assert.True((await fixture.Cancellations.CancelAsync(ws.Scientist, ws.Name, submitted.Value.Name, Ct)).IsSuccess);

        var afterCancel = await Registration.RegisterAsync(ws.Scientist, ws.Name, submitted.Value.Name, "out", new JobOutputRegistrationRequest("data", "late"), Ct);
        Assert.Equal("job_not_finished", whileRunning.Errors[0].Code);
        Assert.Equal(("outputs_incomplete", true), (afterCancel.Errors[0].Code, afterCancel.Errors[0].IsUnprocessable));

        var output = Assert.Single((await Outputs.ListAsync(ws.Scientist, ws.Name, submitted.Value.Name, Ct)).Value);
        Assert.Equal(JobOutputView.Pending, pending.State);
        Assert.Equal("outputs_pending", early.Errors[0].Code);
        Assert.Equal(JobOutputView.Incomplete, output.State);
        Assert.StartsWith("Outputs incomplete", output.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OutputPlaceholderWithoutAnOutput_IsRefusedNamingTheCommand()
    {
        var ws = await fixture.NewWorkspaceAsync(Ct);

        var refused = await fixture.Submissions.SubmitYamlAsync(ws.Scientist, ws.Name, "command: echo x > ${{outputs.nope}}/a\nenvironment: {image: python:3.12-slim}\n", TestWorkspace.Compute, null, null, Ct);
        var https = await fixture.Submissions.SubmitYamlAsync(ws.Scientist, ws.Name, "command: echo x > ${{outputs.o}}/a\nenvironment: {image: python:3.12-slim}\noutputs:\n  o: {type: uri_folder, path: 'https://example.com/x/'}\n", TestWorkspace.Compute, null, null, Ct);
        var unknown = await fixture.Submissions.SubmitYamlAsync(ws.Scientist, ws.Name, "command: echo x > ${{outputs.o}}/a\nenvironment: {image: python:3.12-slim}\noutputs:\n  o: {type: uri_folder, path: 'azureml://datastores/nope/paths/x/'}\n", TestWorkspace.Compute, null, null, Ct);

        Assert.Contains(refused.Errors, e => e.Field == "command" && e.Message.Contains("no output 'nope'", StringComparison.Ordinal));
        Assert.Contains(https.Errors, e => e.Field == "outputs.o.path");
        Assert.Contains(unknown.Errors, e => e.Field == "outputs.o.path" && e.Code == "unknown_datastore");
    }
}
