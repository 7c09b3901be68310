using System.IO.Compression;
using System.Text.Json;
using Studio.Domain.Artifacts;
using Studio.Domain.Common;
using Studio.Domain.Jobs;
using Studio.Domain.Workspaces;
using Studio.Infrastructure.Artifacts;
using Studio.Infrastructure.Datastores;

namespace Studio.Infrastructure.Jobs;

/// <summary>
/// A job's data outputs for its readers: each output's state (read from the upload records its pods wrote), its files,
/// one file, or the whole output as a zip — read by the studio with the datastore's secret, never handed out. Another
/// workspace's job is 404, as everywhere.
/// </summary>
public sealed class JobOutputs(JobAccess access, DatastoreService datastores, DatastoreStores stores)
{
    /// <summary>Most files listed (and zipped) of one output.</summary>
    public const int MaxFiles = 10_000;

    public async Task<Result<IReadOnlyList<JobOutputView>>> ListAsync(Actor actor, string workspaceName, string job, CancellationToken cancellationToken)
    {
        var found = await FindAsync(actor, workspaceName, job, cancellationToken).ConfigureAwait(false);
        if (!found.IsSuccess)
        {
            return Result<IReadOnlyList<JobOutputView>>.Failure(found.Errors);
        }

        var (workspace, record, spec) = found.Value;
        var views = new List<JobOutputView>();
        foreach (var (name, output) in spec.DataOutputs.OrderBy(o => o.Key, StringComparer.Ordinal))
        {
            views.Add(await ViewAsync(workspace.Id, record, name, output, cancellationToken).ConfigureAwait(false));
        }

        return views;
    }

    /// <summary>The output and its files (404 for an output the job does not have).</summary>
    public async Task<Result<JobOutputFiles>> FilesAsync(Actor actor, string workspaceName, string job, string output, CancellationToken cancellationToken)
    {
        var opened = await OutputAsync(actor, workspaceName, job, output, cancellationToken).ConfigureAwait(false);
        if (!opened.IsSuccess)
        {
            return Result<JobOutputFiles>.Failure(opened.Errors);
        }

        var (view, store, folder) = opened.Value;
        var items = store is null ? [] : await store.ListAsync(folder, MaxFiles, cancellationToken).ConfigureAwait(false);
        return new JobOutputFiles(view, [.. items.Select(i => i with { Path = i.Path[folder.Length..] })]);
    }

    /// <summary>One file of the output (<paramref name="path"/> relative to its folder), for download.</summary>
    public async Task<Result<Stream>> OpenAsync(Actor actor, string workspaceName, string job, string output, string? path, CancellationToken cancellationToken)
    {
        // Who may read the job is checked first: another workspace's caller learns nothing, not even that a path is bad.
        var opened = await OutputAsync(actor, workspaceName, job, output, cancellationToken).ConfigureAwait(false);
        if (!opened.IsSuccess)
        {
            return Result<Stream>.Failure(opened.Errors);
        }

        var (relative, error) = ArtifactPath.Normalize(path);
        if (error is not null || relative!.Length == 0 || relative.EndsWith('/'))
        {
            return Error.Validation("path", error ?? "Name a file of the output, not a folder.");
        }

        var (view, store, folder) = opened.Value;
        if (store is not null && await store.OpenReadAsync(folder + relative, cancellationToken).ConfigureAwait(false) is { } file)
        {
            return file;
        }

        return view.State == JobOutputView.Pending
            ? Error.Conflict("outputs_pending", $"Job '{job}' has not finished: its outputs are uploaded when the command ends.")
            : Error.NotFound($"Output '{output}' of job '{job}' has no file '{relative}'.");
    }

    /// <summary>Writes every file of the output into a zip on <paramref name="target"/>; false when there are none.</summary>
    public async Task<Result<bool>> ZipAsync(Actor actor, string workspaceName, string job, string output, Stream target, CancellationToken cancellationToken)
    {
        var files = await FilesAsync(actor, workspaceName, job, output, cancellationToken).ConfigureAwait(false);
        if (!files.IsSuccess)
        {
            return Result<bool>.Failure(files.Errors);
        }

        var (_, store, folder) = (await OutputAsync(actor, workspaceName, job, output, cancellationToken).ConfigureAwait(false)).Value;
        await using var zip = new ZipArchive(target, ZipArchiveMode.Create, leaveOpen: true);
        foreach (var item in files.Value.Files)
        {
            if (await store!.OpenReadAsync(folder + item.Path, cancellationToken).ConfigureAwait(false) is not { } content)
            {
                continue;
            }

            await using (content)
            {
                var entry = zip.CreateEntry(item.Path, CompressionLevel.Fastest);
                await using var into = await entry.OpenAsync(cancellationToken).ConfigureAwait(false);
                await content.CopyToAsync(into, cancellationToken).ConfigureAwait(false);
            }
        }

        return files.Value.Files.Count > 0;
    }

    /// <summary>The output's view, the store of its datastore (null when the datastore is gone) and its folder in that store.</summary>
    public async Task<Result<(JobOutputView View, IArtifactStore? Store, string Folder)>> OutputAsync(Actor actor, string workspaceName, string job, string output, CancellationToken cancellationToken)
    {
        var found = await FindAsync(actor, workspaceName, job, cancellationToken).ConfigureAwait(false);
        if (!found.IsSuccess)
        {
            return Result<(JobOutputView, IArtifactStore?, string)>.Failure(found.Errors);
        }

        var (workspace, record, spec) = found.Value;
        if (!spec.DataOutputs.TryGetValue(output, out var data))
        {
            return Error.NotFound($"Job '{job}' has no output '{output}'.");
        }

        var view = await ViewAsync(workspace.Id, record, output, data, cancellationToken).ConfigureAwait(false);
        var location = data.Location(record.Name, output);
        var datastore = await datastores.FindAsync(workspace.Id, location.Datastore!, cancellationToken).ConfigureAwait(false);
        var store = datastore is null ? null : await stores.ForAsync(datastore, cancellationToken).ConfigureAwait(false);
        return (view, store, location.Path!);
    }

    private async Task<Result<(Workspace Workspace, TrainingJob Record, JobSpec Spec)>> FindAsync(Actor actor, string workspaceName, string job, CancellationToken cancellationToken)
    {
        var found = await access.FindAsync(actor, workspaceName, job, WorkspaceRole.Reader, includeChildren: false, cancellationToken).ConfigureAwait(false);
        if (!found.IsSuccess)
        {
            return Result<(Workspace, TrainingJob, JobSpec)>.Failure(found.Errors);
        }

        var spec = JsonSerializer.Deserialize<JobSpec>(found.Value.Record.SpecJson, JobViews.Json)!;
        return (found.Value.Workspace, found.Value.Record, spec);
    }

    /// <summary>The output's state: pending until the job ends; then complete when its upload record says so, else incomplete with the reason.</summary>
    private async Task<JobOutputView> ViewAsync(Guid workspaceId, TrainingJob record, string name, JobDataOutput output, CancellationToken cancellationToken)
    {
        var location = output.Location(record.Name, name).ToString();
        var type = output.Type == DataAssetType.UriFile ? "uri_file" : "uri_folder";
        JobOutputView View(string state, string? reason, int? files) => new(name, type, output.Mode, output.Delivery(), location, state, reason, files);
        if (!record.IsTerminal)
        {
            return View(JobOutputView.Pending, "The files are uploaded when the command ends.", null);
        }

        var upload = await UploadRecordAsync(workspaceId, record.Name, name, cancellationToken).ConfigureAwait(false);
        return upload switch
        {
            { Complete: true } => View(JobOutputView.Complete, null, upload.Files),
            { } partial => View(JobOutputView.Incomplete, $"Outputs incomplete: the upload stopped after {partial.Files} file{(partial.Files == 1 ? string.Empty : "s")} (a file was refused; the pod's upload-outputs container says why).", partial.Files),
            null when record.State == JobState.Canceled => View(JobOutputView.Incomplete, "Outputs incomplete: the job was canceled before its outputs were uploaded.", null),
            null => View(JobOutputView.Incomplete, "Outputs incomplete: no upload finished — the pod ended before its outputs were sent (killed, evicted or never started), or the studio refused its upload URL (expired or wrong).", null),
        };
    }

    private async Task<UploadRecord?> UploadRecordAsync(Guid workspaceId, string job, string output, CancellationToken cancellationToken)
    {
        var studio = stores.For(Datastore.StudioDefault(workspaceId), DatastoreCredentials.Empty);
        if (await studio.OpenReadAsync(DatastoreUrls.OutputRecordPath(job, output), cancellationToken).ConfigureAwait(false) is not { } content)
        {
            return null;
        }

        await using (content)
        {
            try
            {
                return await JsonSerializer.DeserializeAsync<UploadRecord>(content, JobViews.Json, cancellationToken).ConfigureAwait(false);
            }
            catch (JsonException)
            {
                return new UploadRecord(false, 0);
            }
        }
    }

    private sealed record UploadRecord(bool Complete, int Files);
}
