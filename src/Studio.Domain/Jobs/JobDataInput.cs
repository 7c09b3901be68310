using Studio.Domain.Artifacts;

namespace Studio.Domain.Jobs;

/// <summary>
/// A data input (<c>inputs.NAME: {type: uri_file|uri_folder, path, mode}</c>) that Studio makes available in the pod
/// before the command starts: a local file or folder uploaded with the job (stored as a content-addressed snapshot,
/// <see cref="Snapshot"/>), an https file, a datastore path (<c>azureml://datastores/NAME/paths/PATH</c>) or a data
/// asset (<c>azureml:NAME@latest</c>); with <c>mode: direct</c> a datastore file or asset is passed as a signed URL instead. <c>${{inputs.NAME}}</c> becomes its path in the pod
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
        var path = location.Kind switch
        {
            ArtifactUriKind.Https => Uri.UnescapeDataString(location.Url!.AbsolutePath),
            ArtifactUriKind.Asset => location.AssetName!,
            _ => location.Path!,
        };
        var name = path.TrimEnd('/').Split('/')[^1];
        return name.Length == 0 || name is "." or ".." ? "data" : name;
    }

    /// <summary>How the data reaches the pod, for people (the job's Inputs tab).</summary>
    public string Delivery() => Mode switch
    {
        "direct" => "direct: the command gets a signed read URL",
        "ro_mount" or "eval_mount" or null => "mounted as download: no CSI driver (downloaded read-only before the command starts)",
        _ => "downloaded read-only before the command starts",
    };

    /// <summary>
    /// The mode Studio uses for the mode asked, and why when they differ: Studio has no FUSE mount (CSI driver) on a
    /// cluster, so a mount (and no mode: Azure ML's default is <c>ro_mount</c>) is downloaded read-only before the command
    /// starts; <c>direct</c> passes a signed URL.
    /// </summary>
    public (string Used, string? Why) ModeUsed() => Mode switch
    {
        "direct" => ("direct", null),
        "download" => ("download", null),
        "eval_download" => ("download", "eval_download is a download: the files are fetched before the command starts."),
        null => ("download", "No mode given (Azure ML's default is ro_mount), and Studio has no CSI driver for a FUSE mount on the cluster: downloaded read-only before the command starts."),
        _ => ("download", $"{Mode} needs a FUSE mount through a CSI driver, which Studio does not use on the cluster: downloaded read-only before the command starts."),
    };

    /// <summary>What <c>${{inputs.NAME}}</c> becomes: the folder, or the file inside the input's folder.</summary>
    public string MountPath(string name) => Type == DataAssetType.UriFolder ? $"{Root}/{name}" : $"{Root}/{name}/{FileName()}";
}
