namespace Studio.Domain.Artifacts;

/// <summary>
/// One version of a registered model (<c>azureml:NAME:VERSION</c>): its files (uploaded with it, or a datastore path),
/// its type, tags and — when registered from a job's output — the job and output that produced it (lineage).
/// Versions are immutable.
/// </summary>
public sealed class ModelVersion
{
    private ModelVersion()
    {
        Version = string.Empty;
        Path = string.Empty;
        CreatedBy = string.Empty;
    }

    internal ModelVersion(string version, ModelType type, string path, string? snapshot, ModelLineage? lineage, string? description, IReadOnlyDictionary<string, string> tags, DateTimeOffset now, string createdBy)
    {
        Version = version;
        Type = type;
        Path = path;
        Snapshot = snapshot;
        SourceJob = lineage?.Job;
        SourceOutput = lineage?.Output;
        Description = description;
        Tags = tags;
        CreatedAt = now;
        CreatedBy = createdBy;
    }

    public string Version { get; private set; }

    public ModelType Type { get; private set; }

    /// <summary>The model's files: canonical <c>azureml://datastores/NAME/paths/PATH</c>, or for uploaded files (<see cref="Snapshot"/> set) the uploaded file's or folder's name.</summary>
    public string Path { get; private set; }

    /// <summary>The stored upload (<c>sha256:...</c>); null when the files are at <see cref="Path"/>.</summary>
    public string? Snapshot { get; private set; }

    /// <summary>The job whose output this version was registered from (lineage), if any.</summary>
    public string? SourceJob { get; private set; }

    /// <summary>The output of <see cref="SourceJob"/> (<c>outputs.NAME</c>), if any.</summary>
    public string? SourceOutput { get; private set; }

    public IReadOnlyDictionary<string, string> Tags { get; private set; } = new Dictionary<string, string>();

    public string? Description { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public string CreatedBy { get; private set; }

    /// <summary>Hidden from lists and from <c>@latest</c>; still resolvable by its exact version.</summary>
    public bool Archived { get; private set; }

    public bool IsUpload => Snapshot is not null;

    internal void Archive(bool archived) => Archived = archived;
}

/// <summary>The job and output a model version was registered from.</summary>
public sealed record ModelLineage(string Job, string? Output);
