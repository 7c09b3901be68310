using Studio.Infrastructure.Artifacts;

namespace Studio.Infrastructure.Datastores;

/// <summary>A folder of another store as a store of its own (a workspace's part of the studio's store): every path is under <paramref name="prefix"/>.</summary>
public sealed class PrefixedArtifactStore(IArtifactStore inner, string prefix) : IArtifactStore
{
    private readonly string _root = prefix.Trim('/') + "/";

    public string Description => inner.Description;

    /// <summary>The store this one is a folder of.</summary>
    public IArtifactStore Inner => inner;

    /// <summary>The path in <see cref="Inner"/> of <paramref name="path"/>.</summary>
    public string InnerPath(string path) => _root + path;

    public Task<bool> ExistsAsync(string path, CancellationToken cancellationToken) => inner.ExistsAsync(InnerPath(path), cancellationToken);

    public Task<long?> SizeAsync(string path, CancellationToken cancellationToken) => inner.SizeAsync(InnerPath(path), cancellationToken);

    public Task UploadAsync(string path, Stream content, CancellationToken cancellationToken) => inner.UploadAsync(InnerPath(path), content, cancellationToken);

    public Task<Stream?> OpenReadAsync(string path, CancellationToken cancellationToken) => inner.OpenReadAsync(InnerPath(path), cancellationToken);

    public async Task<IReadOnlyList<ArtifactItem>> ListAsync(string prefix, int limit, CancellationToken cancellationToken)
    {
        var items = await inner.ListAsync(InnerPath(prefix), limit, cancellationToken).ConfigureAwait(false);
        return [.. items.Where(i => i.Path.StartsWith(_root, StringComparison.Ordinal)).Select(i => i with { Path = i.Path[_root.Length..] })];
    }

    public Task<Uri> SignAsync(string path, ArtifactAccess access, DateTimeOffset expiresAt, CancellationToken cancellationToken) =>
        inner.SignAsync(InnerPath(path), access, expiresAt, cancellationToken);
}
