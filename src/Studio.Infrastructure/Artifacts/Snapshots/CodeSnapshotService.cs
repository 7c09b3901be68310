using System.Diagnostics.Metrics;
using System.IO.Compression;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Studio.Domain.Artifacts;
using Studio.Domain.Common;

namespace Studio.Infrastructure.Artifacts.Snapshots;

/// <summary>
/// Stores code snapshots in the studio's artifact store, content-addressed (<c>snapshots/&lt;tree hash&gt;.zip</c>): a
/// snapshot already stored is not uploaded again (counted as a dedup hit on <c>studio.snapshots</c>).
/// </summary>
public sealed class CodeSnapshotService(IArtifactStore store, IOptions<ArtifactsOptions> options, IMeterFactory meters, ILogger<CodeSnapshotService> logger)
{
    private readonly Counter<long> _stored = meters.Create("Studio.Artifacts").CreateCounter<long>("studio.snapshots", description: "Code snapshots submitted, by outcome (uploaded, reused)");

    public IArtifactStore Store => store;

    /// <summary>Reads, checks and stores the code folder <paramref name="folder"/> of <paramref name="zip"/>; the answer says whether it was already stored.</summary>
    public async Task<Result<StoredSnapshot>> StoreAsync(Stream zip, string folder, bool rootWhenMissing, string field, CancellationToken cancellationToken)
    {
        var read = await SnapshotArchive.ReadAsync(zip, folder, rootWhenMissing, options.Value.MaxSnapshotBytes, options.Value.MaxSnapshotFiles, field, cancellationToken).ConfigureAwait(false);
        if (!read.IsSuccess)
        {
            return Result<StoredSnapshot>.Failure(read.Errors);
        }

        using var archive = read.Value;
        var path = archive.Snapshot.StoragePath;
        if (await store.ExistsAsync(path, cancellationToken).ConfigureAwait(false))
        {
            _stored.Add(1, new KeyValuePair<string, object?>("outcome", "reused"));
            return new StoredSnapshot(archive.Snapshot, Reused: true, archive.IgnoredCount);
        }

        await using (var file = File.OpenRead(archive.ZipPath))
        {
            await store.UploadAsync(path, file, cancellationToken).ConfigureAwait(false);
        }

        _stored.Add(1, new KeyValuePair<string, object?>("outcome", "uploaded"));
        logger.LogInformation("Stored code snapshot {Hash}: {Files} files, {Bytes} bytes in {Store}", archive.Snapshot.Hash, archive.Snapshot.FileCount, archive.Snapshot.SizeBytes, store.Description);
        return new StoredSnapshot(archive.Snapshot, Reused: false, archive.IgnoredCount);
    }

    /// <summary>The files of a stored snapshot (path and size), or null when it is not stored.</summary>
    public Task<IReadOnlyList<ArtifactItem>?> FilesAsync(ContentHash hash, CancellationToken cancellationToken) => FilesAsync(store, hash, cancellationToken);

    /// <summary>The files of the snapshot <paramref name="hash"/> in <paramref name="store"/> (path and size), or null when it is not stored.</summary>
    public static async Task<IReadOnlyList<ArtifactItem>?> FilesAsync(IArtifactStore store, ContentHash hash, CancellationToken cancellationToken)
    {
        var stream = await store.OpenReadAsync(CodeSnapshot.StoragePathOf(hash), cancellationToken).ConfigureAwait(false);
        if (stream is null)
        {
            return null;
        }

        // A zip's directory is at its end: read it from a seekable copy.
        var copy = new FileStream(Path.GetTempFileName(), FileMode.Open, FileAccess.ReadWrite, FileShare.None, 81920, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        await using (copy)
        {
            await using (stream)
            {
                await stream.CopyToAsync(copy, cancellationToken).ConfigureAwait(false);
            }

            copy.Position = 0;
            using var zip = new ZipArchive(copy, ZipArchiveMode.Read, leaveOpen: true);
            return [.. zip.Entries.Select(e => new ArtifactItem(e.FullName, e.Length, null))];
        }
    }
}
