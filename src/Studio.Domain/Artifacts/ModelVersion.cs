using Studio.Domain.Common;

namespace Studio.Domain.Artifacts;

/// <summary>
/// One version of a registered model (<c>azureml:NAME:VERSION</c>): its files (a datastore path), its type, tags and the
/// job that produced it. Versions are immutable.
/// </summary>
public sealed class ModelVersion
{
    public const int MaxTags = 50;
    public const int MaxTagLength = 256;

    private ModelVersion()
    {
        Name = string.Empty;
        Version = string.Empty;
        Path = string.Empty;
        CreatedBy = string.Empty;
    }

    public Guid Id { get; private set; }

    public Guid WorkspaceId { get; private set; }

    public string Name { get; private set; }

    public string Version { get; private set; }

    public ModelType Type { get; private set; }

    /// <summary>The model's files, canonical <c>azureml://datastores/NAME/paths/PATH</c>.</summary>
    public string Path { get; private set; }

    /// <summary>The job whose output it was registered from (lineage), if any.</summary>
    public string? SourceJob { get; private set; }

    public IReadOnlyDictionary<string, string> Tags { get; private set; } = new Dictionary<string, string>();

    public string? Description { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public string CreatedBy { get; private set; }

    public string Reference => $"azureml:{Name}:{Version}";

    public static Result<ModelVersion> Create(Guid workspaceId, string? name, string? version, ModelType type, string? path, IReadOnlyDictionary<string, string>? tags, string? sourceJob, string? description, DateTimeOffset now, string createdBy)
    {
        var errors = new List<Error>();
        if (AssetName.Validate(name) is { } nameError)
        {
            errors.Add(Error.Validation("name", nameError));
        }

        if (AssetName.ValidateVersion(version) is { } versionError)
        {
            errors.Add(Error.Validation("version", versionError));
        }

        var location = ArtifactUri.Parse(path, "path");
        if (!location.IsSuccess)
        {
            errors.AddRange(location.Errors);
        }
        else if (location.Value.Kind != ArtifactUriKind.DatastorePath)
        {
            errors.Add(Error.Validation("path", "A model's files are on a datastore: azureml://datastores/NAME/paths/PATH (upload local files first)."));
        }

        tags ??= new Dictionary<string, string>();
        if (tags.Count > MaxTags)
        {
            errors.Add(Error.Validation("tags", $"At most {MaxTags} tags."));
        }

        foreach (var (key, value) in tags)
        {
            if (key.Length is 0 or > MaxTagLength || value.Length > MaxTagLength)
            {
                errors.Add(Error.Validation("tags", $"Tag keys are 1 to {MaxTagLength} characters and values at most {MaxTagLength}."));
                break;
            }
        }

        if (errors.Count > 0)
        {
            return Result<ModelVersion>.Failure(errors);
        }

        return new ModelVersion
        {
            Id = Guid.NewGuid(),
            WorkspaceId = workspaceId,
            Name = name!,
            Version = version!,
            Type = type,
            Path = location.Value.ToString(),
            SourceJob = string.IsNullOrWhiteSpace(sourceJob) ? null : sourceJob.Trim(),
            Tags = new Dictionary<string, string>(tags, StringComparer.Ordinal),
            Description = string.IsNullOrWhiteSpace(description) ? null : description.Trim(),
            CreatedAt = now,
            CreatedBy = createdBy,
        };
    }
}
