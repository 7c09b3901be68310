using System.IO.Compression;
using Studio.Domain;
using Studio.Infrastructure.Artifacts;

namespace Studio.Web.Model;

/// <summary>
/// The files a job is submitted with from the form: a zip as it was chosen, or a folder (its files with their paths
/// under the chosen folder) packed into a zip — the same zip the API's multipart submit takes as its <c>code</c> part.
/// Kept in a temporary file until the form is submitted or closed; bigger than
/// <see cref="ArtifactsOptions.MaxSnapshotBytes"/> is refused with a message for the field.
/// </summary>
public sealed class JobCodeUpload : IDisposable
{
    private string? _zip;

    /// <summary>What was chosen ("src/ (12 files)", "project.zip").</summary>
    public string? Label { get; private set; }

    public long SizeBytes { get; private set; }

    public int FileCount { get; private set; }

    public bool HasFiles => _zip is not null;

    /// <summary>Takes a zip as it is; the message says why it was refused, or null.</summary>
    public async Task<string?> SetZipAsync(Stream content, string name, long maxBytes, CancellationToken cancellationToken)
    {
        var path = Path.GetTempFileName();
        try
        {
            await using (var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 81920, useAsync: true))
            {
                if (await CopyLimitedAsync(content, file, maxBytes, cancellationToken) < 0)
                {
                    return TooLarge(maxBytes);
                }
            }

            int count;
            try
            {
                using var zip = ZipFile.OpenRead(path);
                count = zip.Entries.Count(e => !e.FullName.EndsWith('/'));
            }
            catch (InvalidDataException e)
            {
                return $"'{name}' is not a readable zip file ({e.Message}).";
            }

            Replace(path, $"{name}", new FileInfo(path).Length, count);
            path = string.Empty;
            return null;
        }
        finally
        {
            if (path.Length > 0)
            {
                File.Delete(path);
            }
        }
    }

    /// <summary>
    /// Packs a folder's files (<paramref name="files"/>: each path under the chosen folder and its content) into a zip;
    /// the message says why it was refused, or null.
    /// </summary>
    public async Task<string?> SetFolderAsync(string folder, IReadOnlyList<(string Path, Func<Stream> Open)> files, long maxBytes, CancellationToken cancellationToken)
    {
        if (files.Count == 0)
        {
            return $"The folder '{folder}' has no files.";
        }

        var path = Path.GetTempFileName();
        try
        {
            long total = 0;
            await using (var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 81920, useAsync: true))
            using (var zip = new ZipArchive(file, ZipArchiveMode.Create, leaveOpen: true))
            {
                foreach (var (entryPath, open) in files)
                {
                    var entry = zip.CreateEntry(entryPath, CompressionLevel.Fastest);
                    await using var target = entry.Open();
                    await using var source = open();
                    var copied = await CopyLimitedAsync(source, target, maxBytes - total, cancellationToken);
                    if (copied < 0)
                    {
                        return TooLarge(maxBytes);
                    }

                    total += copied;
                }
            }

            var size = new FileInfo(path).Length;
            if (size > maxBytes)
            {
                return TooLarge(maxBytes);
            }

            Replace(path, $"{folder}/ ({files.Count} file{(files.Count == 1 ? "" : "s")})", size, files.Count);
            path = string.Empty;
            return null;
        }
        finally
        {
            if (path.Length > 0)
            {
                File.Delete(path);
            }
        }
    }

    /// <summary>The zip, to send with the job.</summary>
    public Stream Open() => new FileStream(_zip ?? throw new InvalidOperationException("No files were chosen."), FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true);

    public void Clear() => Replace(null, null, 0, 0);

    public void Dispose() => Clear();

    private void Replace(string? zip, string? label, long size, int count)
    {
        if (_zip is not null)
        {
            File.Delete(_zip);
        }

        (_zip, Label, SizeBytes, FileCount) = (zip, label, size, count);
    }

    private static string TooLarge(long maxBytes) =>
        $"The files are larger than this studio takes ({HumanUnits.Bytes(maxBytes)}, Studio:Artifacts:MaxSnapshotBytes): leave out data and outputs (.amlignore), or put large data in a datastore.";

    /// <summary>The bytes copied, or -1 past <paramref name="maxBytes"/>.</summary>
    private static async Task<long> CopyLimitedAsync(Stream source, Stream target, long maxBytes, CancellationToken cancellationToken)
    {
        var buffer = new byte[81920];
        long total = 0;
        int read;
        while ((read = await source.ReadAsync(buffer, cancellationToken)) > 0)
        {
            total += read;
            if (total > maxBytes)
            {
                return -1;
            }

            await target.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
        }

        return total;
    }
}
