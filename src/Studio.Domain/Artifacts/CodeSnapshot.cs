namespace Studio.Domain.Artifacts;

/// <summary>
/// A job's code as stored: content-addressed by the hash of its file tree (paths and contents, after
/// <c>.amlignore</c>/<c>.gitignore</c>), so the same folder submitted twice is one snapshot. Immutable.
/// </summary>
public sealed record CodeSnapshot(ContentHash Hash, long SizeBytes, int FileCount)
{
    /// <summary>Where the snapshot's zip lives in the artifact store.</summary>
    public string StoragePath => StoragePathOf(Hash);

    public static string StoragePathOf(ContentHash hash) => $"snapshots/{hash.Hex}.zip";
}
