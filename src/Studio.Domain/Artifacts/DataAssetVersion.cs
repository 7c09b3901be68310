using Studio.Domain.Common;

namespace Studio.Domain.Artifacts;

/// <summary>
/// One version of a registered data asset (<c>azureml:NAME:VERSION</c>): a file or folder on a datastore, or an https URL.
/// Versions are immutable: new data is a new version.
/// </summary>
public sealed class DataAssetVersion
{
    public const int MaxDescriptionLength = 5000;

    private DataAssetVersion()
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

    public DataAssetType Type { get; private set; }

    /// <summary>Where the data is, canonical (<c>azureml://datastores/NAME/paths/PATH</c> or <c>https://...</c>).</summary>
    public string Path { get; private set; }

    public string? Description { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public string CreatedBy { get; private set; }

    public string Reference => $"azureml:{Name}:{Version}";

    /// <summary>The parsed <see cref="Path"/>.</summary>
    public ArtifactUri Location => ArtifactUri.Parse(Path, "path").Value;

    public static Result<DataAssetVersion> Create(Guid workspaceId, string? name, string? version, DataAssetType type, string? path, string? description, DateTimeOffset now, string createdBy)
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
        else if (location.Value.Kind is not (ArtifactUriKind.DatastorePath or ArtifactUriKind.Https))
        {
            errors.Add(Error.Validation("path", location.Value.Kind == ArtifactUriKind.Asset
                ? "A data asset cannot point at another asset; give its datastore path."
                : "Upload the local files first; a data asset points at azureml://datastores/NAME/paths/PATH or an https URL."));
        }
        else if (type == DataAssetType.UriFile && location.Value.Path is { } p && (p.Length == 0 || p.EndsWith('/')))
        {
            errors.Add(Error.Validation("path", "A uri_file asset points at a file, not a folder."));
        }

        if (description is { Length: > MaxDescriptionLength })
        {
            errors.Add(Error.Validation("description", $"The description is at most {MaxDescriptionLength} characters."));
        }

        if (errors.Count > 0)
        {
            return Result<DataAssetVersion>.Failure(errors);
        }

        return new DataAssetVersion
        {
            Id = Guid.NewGuid(),
            WorkspaceId = workspaceId,
            Name = name!,
            Version = version!,
            Type = type,
            Path = location.Value.ToString(),
            Description = string.IsNullOrWhiteSpace(description) ? null : description.Trim(),
            CreatedAt = now,
            CreatedBy = createdBy,
        };
    }
}
