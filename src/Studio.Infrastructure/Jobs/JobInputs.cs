using System.Text.Json;
using Studio.Domain.Artifacts;
using Studio.Domain.Common;
using Studio.Domain.Jobs;
using Studio.Domain.Workspaces;
using Studio.Infrastructure.Artifacts;
using Studio.Infrastructure.Artifacts.Snapshots;
using Studio.Infrastructure.Datastores;

namespace Studio.Infrastructure.Jobs;

/// <summary>
/// A job's inputs for its readers (<see cref="JobInputView"/>): each data input's source, the mode asked and the mode
/// used and why, its folder in the pod, its size and file count when the studio can tell (an upload's snapshot, a
/// datastore path or data asset it can list; not an https URL), and whether the pods fetched it — the command starts
/// only after the <c>fetch-inputs</c> init container succeeded, so a job that reached Running has its inputs; one that
/// failed in that step says why. Literal inputs are shown as values. Another workspace's job is 404, as everywhere.
/// </summary>
public sealed class JobInputs(JobAccess access, IEnumerable<IArtifactStore> stores, IEnumerable<IDataAssetLocator> assets, DatastoreService datastores, DatastoreStores datastoreStores)
{
    /// <summary>Most files listed to size one folder input; a larger folder shows "at least" this many.</summary>
    public const int MaxCounted = 10_000;

    public async Task<Result<IReadOnlyList<JobInputView>>> ListAsync(Actor actor, string workspaceName, string job, CancellationToken cancellationToken)
    {
        var found = await access.FindAsync(actor, workspaceName, job, WorkspaceRole.Reader, includeChildren: true, cancellationToken).ConfigureAwait(false);
        if (!found.IsSuccess)
        {
            return Result<IReadOnlyList<JobInputView>>.Failure(found.Errors);
        }

        var (workspace, record) = found.Value;
        var spec = JsonSerializer.Deserialize<JobSpec>(record.SpecJson, JobViews.Json)!;
        var (fetch, note) = FetchState(record);
        var views = new List<JobInputView>();
        foreach (var (name, input) in spec.DataInputs.OrderBy(i => i.Key, StringComparer.Ordinal))
        {
            views.Add(await DataViewAsync(workspace.Id, name, input, fetch, note, cancellationToken).ConfigureAwait(false));
        }

        views.AddRange(spec.Inputs.OrderBy(i => i.Key, StringComparer.Ordinal)
            .Select(i => new JobInputView(i.Key, JobInputView.Literal, JobInputView.Value, i.Value, null, null, null, null, null, null, null, null, null, JobInputView.Value, null)));
        return views;
    }

    private static (string Fetch, string? Note) FetchState(TrainingJob record)
    {
        if (record.Reason == JobStatusMapping.FetchFailed)
        {
            return (JobInputView.Failed, record.Message);
        }

        // Running means a main container runs, which Kubernetes starts only after every init container succeeded.
        if (record.State is JobState.Running or JobState.Completed || record.Transitions.Any(t => t.State == JobState.Running))
        {
            return (JobInputView.Fetched, "Fetched by the fetch-inputs init container before the command started.");
        }

        return record.IsTerminal
            ? (JobInputView.NotYet, "Never fetched: the job ended before its command started.")
            : (JobInputView.NotYet, "Not yet: fetched by the fetch-inputs init container when a pod starts.");
    }

    private async Task<JobInputView> DataViewAsync(Guid workspaceId, string name, JobDataInput input, string fetch, string? note, CancellationToken cancellationToken)
    {
        var type = input.Type == DataAssetType.UriFile ? "uri_file" : "uri_folder";
        var (used, why) = input.ModeUsed();
        var parsed = ArtifactUri.Parse(input.Path, "path");
        var podPath = used == "direct" ? null : input.MountPath(name);
        if (used == "direct")
        {
            (fetch, note) = (JobInputView.Direct, "Not fetched: the command gets a signed read URL and reads the data itself.");
        }

        if (!parsed.IsSuccess)
        {
            return new JobInputView(name, type, "upload", input.Path, null, null, input.Snapshot, input.Mode, used, why, podPath, null, null, fetch, note);
        }

        var where = parsed.Value;
        var kind = where.Kind switch
        {
            ArtifactUriKind.DatastorePath => "datastore",
            ArtifactUriKind.Https => "https",
            ArtifactUriKind.Asset => "asset",
            _ => "upload",
        };
        var (size, files) = await MeasureAsync(workspaceId, input, where, cancellationToken).ConfigureAwait(false);
        return new JobInputView(name, type, kind, input.Path, where.AssetName, where.AssetVersion, input.Snapshot, input.Mode, used, why, podPath, size, files, fetch, note);
    }

    /// <summary>The input's size and file count when the studio can tell; nulls when it cannot (an https URL, a datastore that is gone).</summary>
    private async Task<(long? Size, int? Files)> MeasureAsync(Guid workspaceId, JobDataInput input, ArtifactUri where, CancellationToken cancellationToken)
    {
        var type = input.Type;
        var snapshot = input.Snapshot;
        if (where.Kind == ArtifactUriKind.Asset)
        {
            var located = await LocateAsync(workspaceId, where, cancellationToken).ConfigureAwait(false);
            if (located is null)
            {
                return (null, null);
            }

            (where, type, snapshot) = (located.Path, located.Type, located.Snapshot);
        }

        if (snapshot is not null)
        {
            var hash = ContentHash.Parse(snapshot);
            var store = stores.LastOrDefault();
            var listed = hash.IsSuccess && store is not null ? await CodeSnapshotService.FilesAsync(store, hash.Value, cancellationToken).ConfigureAwait(false) : null;
            return listed is null ? (null, null) : (listed.Sum(f => f.SizeBytes), listed.Count);
        }

        if (where.Kind != ArtifactUriKind.DatastorePath)
        {
            return (null, null);
        }

        var datastore = await datastores.FindAsync(workspaceId, where.Datastore!, cancellationToken).ConfigureAwait(false);
        if (datastore is null)
        {
            return (null, null);
        }

        try
        {
            var store = await datastoreStores.ForAsync(datastore, cancellationToken).ConfigureAwait(false);
            var path = where.Path!;
            if (type == DataAssetType.UriFile)
            {
                return await store.SizeAsync(path, cancellationToken).ConfigureAwait(false) is { } bytes ? (bytes, 1) : (null, null);
            }

            if (store is HttpsArtifactStore)
            {
                return (null, null);
            }

            var folder = path.Length == 0 || path.EndsWith('/') ? path : path + "/";
            var items = await store.ListAsync(folder, MaxCounted, cancellationToken).ConfigureAwait(false);
            return (items.Sum(i => i.SizeBytes), items.Count);
        }
        catch (Exception e) when (e is HttpRequestException or IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            // The datastore cannot be read now (credentials, network): the tab still shows everything else.
            return (null, null);
        }
    }

    private async Task<DataAssetLocation?> LocateAsync(Guid workspaceId, ArtifactUri asset, CancellationToken cancellationToken)
    {
        foreach (var locator in assets)
        {
            var located = await locator.LocateAsync(workspaceId, asset, "path", cancellationToken).ConfigureAwait(false);
            return located.IsSuccess ? located.Value : null;
        }

        return null;
    }
}
