using Studio.Domain.Artifacts;

namespace Studio.Infrastructure.Assets;

/// <summary>A data asset or model in a list: its latest version (not archived), how many versions it has and when it last changed.</summary>
public sealed record AssetSummary(string Name, string? LatestVersion, string Type, int VersionCount, DateTimeOffset UpdatedAt, string? Description);

/// <summary>One version of a data asset or model (<see cref="Job"/> and <see cref="Output"/>: a model's lineage).</summary>
public sealed record AssetVersionView(
    string Name, string Version, string Reference, string Type, string Path, bool Upload, string? Snapshot, string? Description,
    IReadOnlyDictionary<string, string> Tags, DateTimeOffset CreatedAt, string CreatedBy, bool Archived, int JobCount, string? Job = null, string? Output = null)
{
    public static AssetVersionView From(DataAsset asset, DataAssetVersion v) =>
        new(asset.Name, v.Version, $"azureml:{asset.Name}:{v.Version}", v.Type.ToYaml(), v.Path, v.IsUpload, v.Snapshot, v.Description, v.Tags, v.CreatedAt, v.CreatedBy, v.Archived, v.JobCount);

    public static AssetVersionView From(RegisteredModel model, ModelVersion v) =>
        new(model.Name, v.Version, $"azureml:{model.Name}:{v.Version}", v.Type.ToYaml(), v.Path, v.IsUpload, v.Snapshot, v.Description, v.Tags, v.CreatedAt, v.CreatedBy, v.Archived, 0, v.SourceJob, v.SourceOutput);
}

/// <summary>A data asset or model with its versions, newest first (archived ones included, marked).</summary>
public sealed record AssetDetail(string Name, DateTimeOffset CreatedAt, IReadOnlyList<AssetVersionView> Versions);

/// <summary>A file of an uploaded version.</summary>
public sealed record AssetFile(string Path, long SizeBytes);

/// <summary>
/// What a version upload is: the content (a seekable stream), its file name, whether it is a zip of a folder, and — for a
/// YAML sent with its files — the YAML's local <c>path:</c> to take from that zip.
/// </summary>
public sealed record AssetUpload(Stream Content, string FileName, bool IsZip, string? FromPath = null);
