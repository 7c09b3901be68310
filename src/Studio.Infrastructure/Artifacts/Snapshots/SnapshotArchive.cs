using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using Studio.Domain.Artifacts;
using Studio.Domain.Common;

namespace Studio.Infrastructure.Artifacts.Snapshots;

/// <summary>
/// A code folder read from an uploaded zip: entries checked (no path leaving the folder, no symbolic link, sizes counted
/// as they are read so a zip bomb stops at the limit), <c>.amlignore</c>/<c>.gitignore</c> applied, hashed as a tree
/// (sorted paths with the SHA-256 of each file) and written again as a normalized zip in a temporary file, ready to
/// upload. Dispose deletes the temporary file.
/// </summary>
public sealed class SnapshotArchive : IDisposable
{
    private SnapshotArchive(CodeSnapshot snapshot, IReadOnlyList<SnapshotFile> files, string zipPath, int ignored)
    {
        Snapshot = snapshot;
        Files = files;
        ZipPath = zipPath;
        IgnoredCount = ignored;
    }

    public CodeSnapshot Snapshot { get; }

    public IReadOnlyList<SnapshotFile> Files { get; }

    /// <summary>The normalized zip (sorted entries, fixed timestamps) in a temporary file.</summary>
    public string ZipPath { get; }

    /// <summary>Files left out by the ignore rules.</summary>
    public int IgnoredCount { get; }

    /// <summary>
    /// Reads the code folder <paramref name="folder"/> ("" for the zip's root; e.g. <c>src</c> for <c>code: src</c> of a
    /// YAML imported with the files beside it) from <paramref name="zip"/>. Errors name <paramref name="field"/>; a size
    /// over the limit is an <c>Unprocessable</c> error with code <c>too_large</c> (answered 413). With
    /// <paramref name="rootWhenMissing"/>, a zip without that folder is taken as the folder itself.
    /// </summary>
    public static async Task<Result<SnapshotArchive>> ReadAsync(Stream zip, string folder, bool rootWhenMissing, long maxBytes, int maxFiles, string field, CancellationToken cancellationToken)
    {
        var (root, rootError) = ArtifactPath.Normalize(folder, allowRoot: true);
        if (rootError is not null)
        {
            return Error.Validation(field, rootError);
        }

        var prefix = root!.Length == 0 ? string.Empty : root.TrimEnd('/') + "/";
        var spool = Path.GetTempFileName();
        var output = Path.GetTempFileName();
        try
        {
            await using (var file = new FileStream(spool, FileMode.Create, FileAccess.Write, FileShare.None, 81920, useAsync: true))
            {
                if (await CopyLimitedAsync(zip, file, maxBytes, cancellationToken).ConfigureAwait(false) is false)
                {
                    return TooLarge(field, maxBytes);
                }
            }

            var result = await BuildAsync(spool, output, prefix, rootWhenMissing, maxBytes, maxFiles, field, cancellationToken).ConfigureAwait(false);
            if (result.IsSuccess)
            {
                output = string.Empty;
            }

            return result;
        }
        catch (InvalidDataException e)
        {
            return Error.Validation(field, $"The upload is not a readable zip file ({e.Message}).");
        }
        finally
        {
            File.Delete(spool);
            if (output.Length > 0)
            {
                File.Delete(output);
            }
        }
    }

    public void Dispose() => File.Delete(ZipPath);

    private static async Task<Result<SnapshotArchive>> BuildAsync(string spool, string output, string prefix, bool rootWhenMissing, long maxBytes, int maxFiles, string field, CancellationToken cancellationToken)
    {
        using var source = ZipFile.OpenRead(spool);
        var all = new List<(string Path, ZipArchiveEntry Entry)>();
        foreach (var entry in source.Entries)
        {
            var name = entry.FullName;
            if (name.EndsWith('/') && entry.Length == 0)
            {
                continue;
            }

            var (path, error) = ArtifactPath.Normalize(name);
            if (error is not null)
            {
                return Error.Validation(field, $"Zip entry '{name}' is refused: {error}");
            }

            if (((entry.ExternalAttributes >> 16) & 0xF000) == 0xA000)
            {
                return Error.Validation(field, $"Zip entry '{name}' is a symbolic link; links are not followed — copy the file instead.");
            }

            all.Add((path!, entry));
        }

        // code: src with a zip of src's own files (not of the folder around it): the zip is the code folder.
        if (prefix.Length > 0 && rootWhenMissing && !all.Exists(e => e.Path.StartsWith(prefix, StringComparison.Ordinal)))
        {
            prefix = string.Empty;
        }

        var entries = new SortedDictionary<string, ZipArchiveEntry>(StringComparer.Ordinal);
        foreach (var (path, entry) in all.Where(e => e.Path.StartsWith(prefix, StringComparison.Ordinal)))
        {
            if (!entries.TryAdd(path[prefix.Length..], entry))
            {
                return Error.Validation(field, $"Zip entry '{entry.FullName}' appears twice.");
            }
        }

        // A single file (a uri_file input: path: data/iris.csv) is a snapshot of that file alone.
        if (prefix.Length > 0 && entries.Count == 0 && all.Find(e => e.Path == prefix.TrimEnd('/')) is { Entry: not null } file)
        {
            entries[file.Path.Split('/')[^1]] = file.Entry;
        }

        if (prefix.Length > 0 && entries.Count == 0)
        {
            return Error.Validation(field, $"The upload has no file or folder '{prefix.TrimEnd('/')}' (the path the job names).");
        }

        var ignoreFile = IgnoreRules.FileNames.FirstOrDefault(entries.ContainsKey);
        var rules = IgnoreRules.Parse(ignoreFile is null ? null : await ReadTextAsync(entries[ignoreFile], cancellationToken).ConfigureAwait(false));
        var kept = entries.Where(e => !rules.IsIgnored(e.Key)).ToList();
        if (kept.Count > maxFiles)
        {
            return Error.Unprocessable("too_large", field, $"The code folder has {kept.Count} files; at most {maxFiles} are taken. Add an .amlignore for data and outputs.");
        }

        var files = new List<SnapshotFile>(kept.Count);
        var tree = new StringBuilder();
        long total = 0;
        await using (var target = new FileStream(output, FileMode.Create, FileAccess.Write, FileShare.None, 81920, useAsync: true))
        using (var archive = new ZipArchive(target, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (path, entry) in kept)
            {
                var written = archive.CreateEntry(path, CompressionLevel.Fastest);
                written.LastWriteTime = new DateTimeOffset(1980, 1, 1, 0, 0, 0, TimeSpan.Zero);
                using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
                long size = 0;
                await using (var from = entry.Open())
                await using (var to = written.Open())
                {
                    var buffer = new byte[81920];
                    int read;
                    while ((read = await from.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
                    {
                        size += read;
                        total += read;
                        if (total > maxBytes)
                        {
                            return TooLarge(field, maxBytes);
                        }

                        hash.AppendData(buffer, 0, read);
                        await to.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                    }
                }

                var fileHash = Convert.ToHexStringLower(hash.GetHashAndReset());
                files.Add(new SnapshotFile(path, size, fileHash));
                tree.Append(path).Append('\0').Append(size).Append('\0').Append(fileHash).Append('\n');
            }
        }

        var snapshot = new CodeSnapshot(ContentHash.FromBytes(SHA256.HashData(Encoding.UTF8.GetBytes(tree.ToString()))), total, files.Count);
        return new SnapshotArchive(snapshot, files, output, entries.Count - kept.Count);
    }

    private static Error TooLarge(string field, long maxBytes) =>
        Error.Unprocessable("too_large", field, $"The code is larger than {maxBytes / (1024 * 1024)} MiB (Studio:Artifacts:MaxSnapshotBytes). Leave data and outputs out with an .amlignore file, or read them as job inputs.");

    private static async Task<bool> CopyLimitedAsync(Stream from, Stream to, long maxBytes, CancellationToken cancellationToken)
    {
        var buffer = new byte[81920];
        long total = 0;
        int read;
        while ((read = await from.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
        {
            total += read;
            if (total > maxBytes)
            {
                return false;
            }

            await to.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
        }

        return true;
    }

    private static async Task<string> ReadTextAsync(ZipArchiveEntry entry, CancellationToken cancellationToken)
    {
        await using var stream = entry.Open();
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var buffer = new char[64 * 1024];
        var read = await reader.ReadBlockAsync(buffer, cancellationToken).ConfigureAwait(false);
        return new string(buffer, 0, read);
    }
}
