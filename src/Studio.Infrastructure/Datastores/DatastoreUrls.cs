using Studio.Domain.Artifacts;
using Studio.Domain.Common;
using Studio.Infrastructure.Artifacts;

namespace Studio.Infrastructure.Datastores;

/// <summary>
/// The URLs a job's pods get for datastore paths, least privilege and expiring with the job: a read URL per file (a
/// blob SAS from an account-key Azure datastore, an S3 pre-signed URL, the studio store's own URL, an https
/// datastore's plain URL, or — for a SAS or identity Azure datastore — the studio's relay URL), and one write URL
/// scoped to an output folder (always the studio's relay, since neither a blob SAS nor a pre-signed URL can be scoped
/// to a folder on a flat namespace).
/// </summary>
public sealed class DatastoreUrls(DatastoreService datastores, DatastoreStores stores, ArtifactUrlSigner signer, LocalArtifactStore relay)
{
    /// <summary>Most files a folder input may hold (each is one URL in the pod spec).</summary>
    public const int MaxFolderFiles = 200;

    /// <summary>Shown in the manifest preview instead of a URL.</summary>
    public const string PreviewUrl = "(a URL signed for this path when the job is submitted)";

    /// <summary>The datastore a <see cref="ArtifactUriKind.DatastorePath"/> names in the workspace, or a 422 naming <paramref name="field"/>.</summary>
    public async Task<Result<Datastore>> FindAsync(Guid workspaceId, ArtifactUri location, string field, CancellationToken cancellationToken) =>
        await datastores.FindAsync(workspaceId, location.Datastore!, cancellationToken).ConfigureAwait(false) is { } store
            ? store
            : Error.Unprocessable("unknown_datastore", field, $"The workspace has no datastore '{location.Datastore}' (see Data → Datastores; '{DatastoreName.Default}' is the studio's own store).");

    /// <summary>
    /// Read URLs for a datastore file (one, relative path empty) or every file of a folder (relative paths inside it); a
    /// 422 naming <paramref name="field"/> when the datastore or the path does not exist, or the folder is too large.
    /// </summary>
    public async Task<Result<IReadOnlyList<(string RelativePath, string Url)>>> ReadAsync(Guid workspaceId, ArtifactUri location, DataAssetType type, DateTimeOffset expiresAt, bool sign, string field, CancellationToken cancellationToken)
    {
        var found = await FindAsync(workspaceId, location, field, cancellationToken).ConfigureAwait(false);
        if (!found.IsSuccess)
        {
            return Result<IReadOnlyList<(string, string)>>.Failure(found.Errors);
        }

        var datastore = found.Value;
        var store = await stores.ForAsync(datastore, cancellationToken).ConfigureAwait(false);
        var path = location.Path!;
        var shown = location.ToString();
        var files = new List<(string RelativePath, string Path)>();
        if (type == DataAssetType.UriFile)
        {
            if (path.Length == 0 || path.EndsWith('/') || await store.SizeAsync(path, cancellationToken).ConfigureAwait(false) is null)
            {
                return Error.Unprocessable("missing_path", field, $"'{shown}' is not a file on datastore '{datastore.Name}'.");
            }

            files.Add((string.Empty, path));
        }
        else
        {
            if (store is HttpsArtifactStore)
            {
                return Error.Unprocessable("folder_not_listable", field, $"Datastore '{datastore.Name}' is an https URL, which cannot be listed: name a file (type: uri_file).");
            }

            var folder = path.Length == 0 || path.EndsWith('/') ? path : path + "/";
            var items = await store.ListAsync(folder, MaxFolderFiles + 1, cancellationToken).ConfigureAwait(false);
            if (items.Count == 0)
            {
                return Error.Unprocessable("missing_path", field, $"There are no files under '{shown}' on datastore '{datastore.Name}'.");
            }

            if (items.Count > MaxFolderFiles)
            {
                return Error.Unprocessable("folder_too_large", field, $"'{shown}' holds more than {MaxFolderFiles} files; pack them (a tar or zip file, type: uri_file) or split the input.");
            }

            files.AddRange(items.Select(i => (i.Path[folder.Length..], i.Path)));
        }

        var urls = new List<(string, string)>();
        foreach (var (relative, file) in files)
        {
            urls.Add((relative, sign ? (await ReadUrlAsync(datastore, store, file, expiresAt, cancellationToken).ConfigureAwait(false)).AbsoluteUri : PreviewUrl));
        }

        return urls;
    }

    /// <summary>The URL under which a pod writes the files of an output folder (<c>URL-before-query + relative path + ?query</c>), signed for that folder only.</summary>
    public async Task<Result<string>> WriteFolderAsync(Guid workspaceId, ArtifactUri folder, DateTimeOffset expiresAt, bool sign, string field, CancellationToken cancellationToken)
    {
        var found = await FindAsync(workspaceId, folder, field, cancellationToken).ConfigureAwait(false);
        if (!found.IsSuccess)
        {
            return Result<string>.Failure(found.Errors);
        }

        if (found.Value.ReadOnly)
        {
            return Error.Unprocessable("read_only_datastore", field, $"Datastore '{found.Value.Name}' is read-only (https); write outputs to '{DatastoreName.Default}' or an Azure Blob or S3 datastore.");
        }

        var scope = DatastoreRelay.RelayPath(found.Value.Id, folder.Path!.TrimEnd('/') + "/");
        return sign ? relay.UrlFor(scope, signer.Sign(scope, ArtifactAccess.Write, expiresAt)).AbsoluteUri : PreviewUrl;
    }

    /// <summary>Where job <paramref name="job"/>'s upload record of output <paramref name="output"/> is kept, in the workspace's studio store.</summary>
    public static string OutputRecordPath(string job, string output) => $".studio/jobs/{job}/outputs/{output}.json";

    /// <summary>The URL under which a pod writes that upload record, signed for that one file.</summary>
    public string OutputRecordUrl(Guid workspaceId, string job, string output, DateTimeOffset expiresAt, bool sign)
    {
        var scope = DatastoreRelay.RelayPath(workspaceId, OutputRecordPath(job, output));
        return sign ? relay.UrlFor(scope, signer.Sign(scope, ArtifactAccess.Write, expiresAt)).AbsoluteUri : PreviewUrl;
    }

    private async Task<Uri> ReadUrlAsync(Datastore datastore, IArtifactStore store, string path, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        if (store is AzureBlobArtifactStore { CanSign: false })
        {
            var scope = DatastoreRelay.RelayPath(datastore.Id, path);
            return relay.UrlFor(scope, signer.Sign(scope, ArtifactAccess.Read, expiresAt));
        }

        return await store.SignAsync(path, ArtifactAccess.Read, expiresAt, cancellationToken).ConfigureAwait(false);
    }
}
