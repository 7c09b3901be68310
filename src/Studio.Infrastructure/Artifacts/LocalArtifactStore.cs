namespace Studio.Infrastructure.Artifacts;

/// <summary>
/// The studio's own store (the embedded default): files under <c>&lt;data folder&gt;/artifacts</c>, served over HTTP by
/// <see cref="LocalArtifactHttp"/> at <c>/artifacts/PATH?t=TOKEN</c> with URLs signed by <see cref="ArtifactUrlSigner"/>.
/// Writes go to a temporary file first and are moved into place, so a reader never sees half a file.
/// </summary>
public sealed class LocalArtifactStore(string root, ArtifactUrlSigner signer, IArtifactBaseUrl baseUrl) : IArtifactStore
{
    public const string RoutePrefix = "/artifacts/";
    private const string TempFolder = ".tmp";

    public string Root { get; } = Path.GetFullPath(root);

    public string Description => "studio store";

    public Task<bool> ExistsAsync(string path, CancellationToken cancellationToken) => Task.FromResult(File.Exists(FullPath(path)));

    public Task<long?> SizeAsync(string path, CancellationToken cancellationToken)
    {
        var info = new FileInfo(FullPath(path));
        return Task.FromResult(info.Exists ? info.Length : (long?)null);
    }

    public async Task UploadAsync(string path, Stream content, CancellationToken cancellationToken)
    {
        var target = FullPath(path);
        var temp = Path.Combine(Root, TempFolder, Guid.NewGuid().ToString("n"));
        Directory.CreateDirectory(Path.GetDirectoryName(temp)!);
        try
        {
            await using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true))
            {
                await content.CopyToAsync(file, cancellationToken).ConfigureAwait(false);
            }

            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Move(temp, target, overwrite: true);
        }
        finally
        {
            File.Delete(temp);
        }
    }

    public Task<Stream?> OpenReadAsync(string path, CancellationToken cancellationToken)
    {
        var full = FullPath(path);
        try
        {
            return Task.FromResult<Stream?>(new FileStream(full, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 81920, useAsync: true));
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return Task.FromResult<Stream?>(null);
        }
    }

    public Task<IReadOnlyList<ArtifactItem>> ListAsync(string prefix, int limit, CancellationToken cancellationToken)
    {
        var folder = ArtifactPaths.Folder(prefix);
        var directory = folder.Length == 0 ? Root : Path.Combine(Root, folder);
        var items = new List<ArtifactItem>();
        if (Directory.Exists(directory))
        {
            foreach (var file in Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories))
            {
                var relative = Path.GetRelativePath(Root, file).Replace('\\', '/');
                if (relative.StartsWith(TempFolder + "/", StringComparison.Ordinal))
                {
                    continue;
                }

                var info = new FileInfo(file);
                items.Add(new ArtifactItem(relative, info.Length, info.LastWriteTimeUtc));
                if (items.Count >= limit)
                {
                    break;
                }
            }
        }

        items.Sort((a, b) => string.CompareOrdinal(a.Path, b.Path));
        return Task.FromResult<IReadOnlyList<ArtifactItem>>(items);
    }

    public Task<Uri> SignAsync(string path, ArtifactAccess access, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        var normalized = ArtifactPaths.File(path);
        return Task.FromResult(UrlFor(normalized, signer.Sign(normalized, access, expiresAt)));
    }

    /// <summary>The URL of <paramref name="path"/> with a given token (for folder-scoped tokens).</summary>
    public Uri UrlFor(string path, string token)
    {
        var escaped = string.Join('/', path.Split('/').Select(Uri.EscapeDataString));
        var root = baseUrl.Current.AbsoluteUri.TrimEnd('/');
        return new Uri($"{root}{RoutePrefix}{escaped}?{ArtifactUrlSigner.TokenParameter}={Uri.EscapeDataString(token)}");
    }

    /// <summary>The file's place on disk; the path is normalized first and must stay under <see cref="Root"/>.</summary>
    public string FullPath(string path)
    {
        var normalized = ArtifactPaths.File(path);
        if (normalized.StartsWith(TempFolder + "/", StringComparison.Ordinal) || normalized == TempFolder)
        {
            throw new ArgumentException("The store's temporary folder is not an artifact path.", nameof(path));
        }

        var full = Path.GetFullPath(Path.Combine(Root, normalized));
        return full.StartsWith(Root + Path.DirectorySeparatorChar, StringComparison.Ordinal)
            ? full
            : throw new ArgumentException($"'{path}' leaves the store.", nameof(path));
    }
}
