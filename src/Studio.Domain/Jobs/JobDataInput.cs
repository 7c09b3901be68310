using Studio.Domain.Artifacts;

namespace Studio.Domain.Jobs;

/// <summary>
/// A data input (<c>inputs.NAME: {type: uri_file|uri_folder, path, mode}</c>) that Studio makes available in the pod
/// before the command starts: a local file or folder uploaded with the job (stored as a content-addressed snapshot,
/// <see cref="Snapshot"/>) or an https file. <c>${{inputs.NAME}}</c> becomes its path in the pod
/// (<see cref="MountPath"/>), read-only.
/// </summary>
public sealed record JobDataInput(DataAssetType Type, string Path, string? Mode = null)
{
    /// <summary>Where inputs are in every pod of the job.</summary>
    public const string Root = "/mnt/studio/inputs";

    /// <summary>The stored snapshot of a local input (<c>sha256:...</c>); null for a URL, or before the files were sent.</summary>
    public string? Snapshot { get; init; }

    /// <summary>The parsed <see cref="Path"/> (a local path or an https URL); the path must be valid.</summary>
    public ArtifactUri Location() => ArtifactUri.Parse(Path, "path").Value;

    /// <summary>The file's name for a <c>uri_file</c> input (the last segment of its path or URL).</summary>
    public string FileName()
    {
        var parsed = ArtifactUri.Parse(Path, "path");
        if (!parsed.IsSuccess)
        {
            return "data";
        }

        var location = parsed.Value;
        var path = location.Kind == ArtifactUriKind.Https ? Uri.UnescapeDataString(location.Url!.AbsolutePath) : location.Path!;
        var name = path.TrimEnd('/').Split('/')[^1];
        return name.Length == 0 || name is "." or ".." ? "data" : name;
    }

    /// <summary>What <c>${{inputs.NAME}}</c> becomes: the folder, or the file inside the input's folder.</summary>
    public string MountPath(string name) => Type == DataAssetType.UriFolder ? $"{Root}/{name}" : $"{Root}/{name}/{FileName()}";
}
