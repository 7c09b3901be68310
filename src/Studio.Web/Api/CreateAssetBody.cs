namespace Studio.Web.Api;

/// <summary>
/// A new data asset or model version (JSON, or the part <c>meta</c> of a multipart upload): name, version (without it
/// the next number), type (<c>uri_file</c> | <c>uri_folder</c>; <c>custom_model</c> | <c>mlflow_model</c> |
/// <c>triton_model</c>), path (a datastore path or an https URL; empty for an upload), description and tags.
/// </summary>
public sealed record CreateAssetBody(string? Name, string? Version, string? Type, string? Path, string? Description, Dictionary<string, string>? Tags);

/// <summary>A created version, and the keys of an imported YAML that Studio does not keep.</summary>
public sealed record AssetCreatedResponse(Studio.Infrastructure.Assets.AssetVersionView Version, IReadOnlyList<Studio.Domain.Jobs.YamlIssue> Unsupported);

/// <summary>The answer to removing a version: deleted, or archived because a job used it.</summary>
public sealed record AssetRemovedResponse(bool Archived, string Message);
