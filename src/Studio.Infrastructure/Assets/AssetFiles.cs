using System.IO.Compression;
using Studio.Domain.Artifacts;
using Studio.Domain.Common;
using Studio.Infrastructure.Artifacts;
using Studio.Infrastructure.Artifacts.Snapshots;

namespace Studio.Infrastructure.Assets;

/// <summary>
/// The files of uploaded data asset and model versions: stored as content-addressed snapshots in the artifact store
/// (the same zip a job's input fetch unpacks; the same files uploaded again are stored once), listed and read back.
/// The size limit is the code snapshot's (<c>Studio:Artifacts:MaxSnapshotBytes</c>; over it: 413).
/// </summary>
public sealed class AssetFiles(CodeSnapshotService snapshots)
{
    /// <summary>
    /// Stores an upload: a zip whose entries are the folder (<paramref name="asFolder"/>), or one file named
    /// <paramref name="fileName"/>. <paramref name="content"/> must be seekable (spooled). Errors name <paramref name="field"/>.
    /// </summary>
    public async Task<Result<StoredUpload>> StoreAsync(Stream content, string fileName, bool asFolder, string field, CancellationToken cancellationToken)
    {
        var (name, nameError) = ArtifactPath.Normalize(Path.GetFileName(fileName.Replace('\\', '/')));
        if (nameError is not null || string.IsNullOrEmpty(name))
        {
            return Error.Validation(field, nameError ?? "The upload has no file name.");
        }

        if (!asFolder)
        {
            await using var wrapped = new FileStream(Path.GetTempFileName(), FileMode.Open, FileAccess.ReadWrite, FileShare.None, 81920, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
            using (var zip = new ZipArchive(wrapped, ZipArchiveMode.Create, leaveOpen: true))
            {
                await using var entry = zip.CreateEntry(name, CompressionLevel.Fastest).Open();
                await content.CopyToAsync(entry, cancellationToken).ConfigureAwait(false);
            }

            wrapped.Position = 0;
            return await StoreZipAsync(wrapped, name, [name], field, cancellationToken).ConfigureAwait(false);
        }

        List<string> files;
        try
        {
            using var zip = new ZipArchive(content, ZipArchiveMode.Read, leaveOpen: true);
            files = [.. zip.Entries.Where(e => !e.FullName.EndsWith('/')).Select(e => e.FullName.Replace('\\', '/').TrimStart('/'))];
        }
        catch (InvalidDataException)
        {
            return Error.Validation(field, $"'{fileName}' is not a zip file: upload a folder as a zip of its files, or a single file as uri_file.");
        }

        content.Position = 0;
        var folder = name.EndsWith(".zip", StringComparison.OrdinalIgnoreCase) ? name[..^4] : name;
        return await StoreZipAsync(content, (folder.Length == 0 ? "data" : folder) + "/", files, field, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Stores the file or folder at <paramref name="path"/> (a YAML's local <c>path:</c>) of <paramref name="zip"/>, the
    /// files sent beside the YAML; <paramref name="asFolder"/> null: a file when the zip holds a file at that path.
    /// <paramref name="zip"/> must be seekable.
    /// </summary>
    public async Task<Result<StoredUpload>> StoreFromZipAsync(Stream zip, string path, bool? asFolder, string field, CancellationToken cancellationToken)
    {
        var (normalized, error) = ArtifactPath.Normalize(path);
        if (error is not null)
        {
            return Error.Validation(field, error);
        }

        var prefix = normalized!.TrimEnd('/');
        List<string> entries;
        try
        {
            using var archive = new ZipArchive(zip, ZipArchiveMode.Read, leaveOpen: true);
            entries = [.. archive.Entries.Where(e => !e.FullName.EndsWith('/')).Select(e => e.FullName.Replace('\\', '/').TrimStart('/'))];
            var entry = archive.Entries.FirstOrDefault(e => e.FullName.Replace('\\', '/').TrimStart('/') == prefix);
            if (asFolder == false || (asFolder is null && entry is not null))
            {
                if (entry is null)
                {
                    return Error.Validation(field, $"'{path}' is not among the files sent with the YAML.");
                }

                await using var file = new FileStream(Path.GetTempFileName(), FileMode.Open, FileAccess.ReadWrite, FileShare.None, 81920, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
                await using (var read = entry.Open())
                {
                    await read.CopyToAsync(file, cancellationToken).ConfigureAwait(false);
                }

                file.Position = 0;
                return await StoreAsync(file, prefix.Split('/')[^1], asFolder: false, field, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (InvalidDataException)
        {
            return Error.Validation(field, "The files sent with the YAML are not a zip.");
        }

        var under = prefix.Length == 0 ? entries : [.. entries.Where(e => e.StartsWith(prefix + "/", StringComparison.Ordinal)).Select(e => e[(prefix.Length + 1)..])];
        if (under.Count == 0)
        {
            return Error.Validation(field, $"'{path}' is not a folder among the files sent with the YAML.");
        }

        zip.Position = 0;
        var stored = await snapshots.StoreAsync(zip, prefix, rootWhenMissing: false, field, cancellationToken).ConfigureAwait(false);
        return stored.IsSuccess
            ? new StoredUpload(stored.Value.Snapshot.Hash.ToString(), (prefix.Length == 0 ? "data" : prefix.Split('/')[^1]) + "/", under, stored.Value.Snapshot.SizeBytes, stored.Value.Reused)
            : Result<StoredUpload>.Failure(stored.Errors);
    }

    /// <summary>The files of a stored upload (path and size), or null when it is not stored.</summary>
    public async Task<IReadOnlyList<ArtifactItem>?> ListAsync(string snapshot, CancellationToken cancellationToken) =>
        ContentHash.Parse(snapshot).IsSuccess ? await CodeSnapshotService.FilesAsync(snapshots.Store, ContentHash.Parse(snapshot).Value, cancellationToken).ConfigureAwait(false) : null;

    /// <summary>The whole upload as a zip (<paramref name="path"/> null), or one of its files; null when there is no such file.</summary>
    public async Task<Stream?> OpenAsync(string snapshot, string? path, CancellationToken cancellationToken)
    {
        var hash = ContentHash.Parse(snapshot);
        if (!hash.IsSuccess)
        {
            return null;
        }

        var stored = await snapshots.Store.OpenReadAsync(CodeSnapshot.StoragePathOf(hash.Value), cancellationToken).ConfigureAwait(false);
        if (stored is null || path is null)
        {
            return stored;
        }

        // A zip's directory is at its end: read it from a seekable copy, and hand out the one entry as a temporary file.
        await using var copy = new FileStream(Path.GetTempFileName(), FileMode.Open, FileAccess.ReadWrite, FileShare.None, 81920, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        await using (stored)
        {
            await stored.CopyToAsync(copy, cancellationToken).ConfigureAwait(false);
        }

        copy.Position = 0;
        using var zip = new ZipArchive(copy, ZipArchiveMode.Read, leaveOpen: true);
        var entry = zip.GetEntry(path.TrimStart('/'));
        if (entry is null || entry.FullName.EndsWith('/'))
        {
            return null;
        }

        var file = new FileStream(Path.GetTempFileName(), FileMode.Open, FileAccess.ReadWrite, FileShare.None, 81920, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        await using (var read = entry.Open())
        {
            await read.CopyToAsync(file, cancellationToken).ConfigureAwait(false);
        }

        file.Position = 0;
        return file;
    }

    private async Task<Result<StoredUpload>> StoreZipAsync(Stream zip, string name, IReadOnlyList<string> files, string field, CancellationToken cancellationToken)
    {
        var stored = await snapshots.StoreAsync(zip, string.Empty, rootWhenMissing: true, field, cancellationToken).ConfigureAwait(false);
        return stored.IsSuccess
            ? new StoredUpload(stored.Value.Snapshot.Hash.ToString(), name, files, stored.Value.Snapshot.SizeBytes, stored.Value.Reused)
            : Result<StoredUpload>.Failure(stored.Errors);
    }
}

/// <summary>An upload as stored: its snapshot, the file's or folder's name, its files, size, and whether it was stored already.</summary>
public sealed record StoredUpload(string Snapshot, string Name, IReadOnlyList<string> Files, long SizeBytes, bool Reused);
