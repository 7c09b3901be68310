using Studio.Domain.Artifacts;

namespace Studio.Domain.Jobs;

/// <summary>
/// A data output (<c>outputs.NAME: {type: uri_folder|uri_file, mode: rw_mount|upload, path?}</c>): the command writes it
/// under <see cref="Root"/> (<c>${{outputs.NAME}}</c> is that folder, or the file in it for a <c>uri_file</c>), and when
/// the command ends — also when it fails — its files are uploaded to <see cref="Path"/>, by default
/// <c>azureml://datastores/workspaceblobstore/paths/azureml/&lt;job&gt;/&lt;output&gt;/</c>. A FUSE read-write mount needs a
/// CSI driver, so <c>rw_mount</c> is written locally and uploaded at the end, as <c>upload</c> is (<see cref="Delivery"/> says so).
/// </summary>
public sealed record JobDataOutput(DataAssetType Type = DataAssetType.UriFolder, string? Mode = null, string? Path = null)
{
    /// <summary>Where outputs are written in every pod of the job.</summary>
    public const string Root = "/mnt/studio/outputs";

    /// <summary>The output's datastore folder for job <paramref name="job"/> (<c>azureml://datastores/NAME/paths/FOLDER/</c>).</summary>
    public ArtifactUri Location(string job, string name)
    {
        if (Path is not null && ArtifactUri.Parse(Path, "path") is { IsSuccess: true, Value: { Kind: ArtifactUriKind.DatastorePath } given })
        {
            var folder = Type == DataAssetType.UriFile ? Parent(given.Path!) : given.Path!.TrimEnd('/');
            return ArtifactUri.ForDatastore(given.Datastore!, folder.Length == 0 ? string.Empty : folder + "/");
        }

        return ArtifactUri.ForDatastore(DatastoreName.Default, $"azureml/{job}/{name}/");
    }

    /// <summary>The file's name of a <c>uri_file</c> output: the last segment of its path, else the output's name.</summary>
    public string FileName(string name)
    {
        var last = Path?.TrimEnd('/').Split('/')[^1];
        return Path is null || Path.EndsWith('/') || string.IsNullOrEmpty(last) || last.Contains(':', StringComparison.Ordinal) ? name : last;
    }

    /// <summary>What <c>${{outputs.NAME}}</c> becomes: the folder, or the file inside it.</summary>
    public string MountPath(string name) => Type == DataAssetType.UriFolder ? $"{Root}/{name}" : $"{Root}/{name}/{FileName(name)}";

    /// <summary>How the files leave the pod, for people (the job's Outputs tab).</summary>
    public string Delivery() => Mode switch
    {
        "upload" => "upload: written in the pod, uploaded when the command ends (also on failure)",
        _ => "mounted as upload: no CSI driver (written in the pod, uploaded when the command ends, also on failure)",
    };

    private static string Parent(string path)
    {
        var trimmed = path.TrimEnd('/');
        var slash = trimmed.LastIndexOf('/');
        return slash < 0 ? string.Empty : trimmed[..slash];
    }
}
