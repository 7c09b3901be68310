namespace Studio.Domain.Artifacts;

/// <summary>
/// One version of a registered data asset (<c>azureml:NAME:VERSION</c>): files uploaded with it (a stored snapshot), or a
/// file or folder on a datastore, or an https URL. Versions are immutable: new data is a new version. A version a job
/// used is archived (hidden from lists and from <c>@latest</c>) rather than deleted, so the job's record still names it.
/// </summary>
public sealed class DataAssetVersion
{
    private DataAssetVersion()
    {
        Version = string.Empty;
        Path = string.Empty;
        CreatedBy = string.Empty;
    }

    internal DataAssetVersion(string version, DataAssetType type, string path, string? snapshot, string? description, IReadOnlyDictionary<string, string> tags, DateTimeOffset now, string createdBy)
    {
        Version = version;
        Type = type;
        Path = path;
        Snapshot = snapshot;
        Description = description;
        Tags = tags;
        CreatedAt = now;
        CreatedBy = createdBy;
    }

    public string Version { get; private set; }

    public DataAssetType Type { get; private set; }

    /// <summary>
    /// Where the data is: canonical <c>azureml://datastores/NAME/paths/PATH</c> or <c>https://...</c>; for uploaded files
    /// (<see cref="Snapshot"/> set) the uploaded file's or folder's name.
    /// </summary>
    public string Path { get; private set; }

    /// <summary>The stored upload (<c>sha256:...</c>, a snapshot zip in the artifact store); null when the data is at <see cref="Path"/>.</summary>
    public string? Snapshot { get; private set; }

    public string? Description { get; private set; }

    public IReadOnlyDictionary<string, string> Tags { get; private set; } = new Dictionary<string, string>();

    public DateTimeOffset CreatedAt { get; private set; }

    public string CreatedBy { get; private set; }

    /// <summary>Hidden from lists and from <c>@latest</c>; still resolvable by its exact version.</summary>
    public bool Archived { get; private set; }

    /// <summary>How many jobs were submitted with this version as an input.</summary>
    public int JobCount { get; private set; }

    public bool IsUpload => Snapshot is not null;

    internal void Archive(bool archived) => Archived = archived;

    internal void MarkUsed() => JobCount++;
}
