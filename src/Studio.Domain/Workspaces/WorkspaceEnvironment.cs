using Studio.Domain.Artifacts;
using Studio.Domain.Common;

namespace Studio.Domain.Workspaces;

/// <summary>
/// A named, versioned environment registered in a workspace (Azure ML's <c>azureml:NAME:VERSION</c>): a container
/// image that jobs and deployments can name instead of spelling out the image. Versions are immutable once registered;
/// a new image is a new version.
/// </summary>
public sealed class WorkspaceEnvironment
{
    /// <summary>Azure ML's limit for asset names.</summary>
    public const int NameMaxLength = AssetName.MaxLength;

    public const int VersionMaxLength = AssetName.VersionMaxLength;

    private WorkspaceEnvironment()
    {
        Name = string.Empty;
        Version = string.Empty;
        Image = string.Empty;
        RegisteredBy = string.Empty;
    }

    internal WorkspaceEnvironment(string name, string version, string image, string? description, DateTimeOffset registeredAt, string registeredBy)
    {
        Name = name;
        Version = version;
        Image = image;
        Description = description;
        RegisteredAt = registeredAt;
        RegisteredBy = registeredBy;
    }

    public string Name { get; private set; }

    public string Version { get; private set; }

    /// <summary>The container image the environment maps to.</summary>
    public string Image { get; private set; }

    public string? Description { get; private set; }

    public DateTimeOffset RegisteredAt { get; private set; }

    /// <summary>Display name of who registered this version.</summary>
    public string RegisteredBy { get; private set; }

    /// <summary>The reference a job YAML uses for this version: <c>azureml:NAME:VERSION</c>.</summary>
    public string Reference => $"azureml:{Name}:{Version}";

    /// <summary>Null when <paramref name="name"/> is a valid environment name (<see cref="AssetName.Validate"/>), else why not.</summary>
    public static string? ValidateName(string? name) => AssetName.Validate(name);

    /// <summary>Null when <paramref name="version"/> is a valid version label (<see cref="AssetName.ValidateVersion"/>), else why not.</summary>
    public static string? ValidateVersion(string? version) => AssetName.ValidateVersion(version);

    /// <summary>
    /// Splits a reference — <c>NAME</c>, <c>NAME@latest</c>, <c>NAME:VERSION</c>, each optionally prefixed with
    /// <c>azureml:</c> — into a name and a version (null = latest). Returns an error for anything else.
    /// </summary>
    public static Result<(string Name, string? Version)> ParseReference(string? reference)
    {
        var parsed = AssetReference.Parse(reference, "environment", bareNameIsLatest: true);
        return parsed.IsSuccess
            ? Result<(string Name, string? Version)>.Ok((parsed.Value.Name, parsed.Value.Version))
            : Result<(string Name, string? Version)>.Failure(parsed.Errors);
    }
}
