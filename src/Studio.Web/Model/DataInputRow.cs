using Studio.Domain.Artifacts;
using Studio.Domain.Jobs;

namespace Studio.Web.Model;

/// <summary>Where a data input of the submit form comes from.</summary>
public enum DataInputSource
{
    /// <summary>A path of one of the workspace's datastores (<c>azureml://datastores/NAME/paths/PATH</c>).</summary>
    Datastore,

    /// <summary>An https URL.</summary>
    Url,

    /// <summary>A data asset of the workspace (<c>azureml:NAME@latest</c> or <c>azureml:NAME:VERSION</c>).</summary>
    Asset,

    /// <summary>A file or folder of the job's uploaded files (<c>./data</c>), as an imported YAML names it.</summary>
    Local,
}

/// <summary>
/// A data input row of the submit form: a name, where it comes from (a datastore and a path, an https URL, a data asset
/// and version, or the uploaded files) and its type and mode; it becomes the spec's <see cref="JobDataInput"/>.
/// </summary>
public sealed class DataInputRow
{
    public const string Latest = "latest";

    public string Name { get; set; } = string.Empty;

    public DataInputSource Source { get; set; } = DataInputSource.Datastore;

    public string? Datastore { get; set; } = "workspaceblobstore";

    public string? Path { get; set; }

    public string? Url { get; set; }

    public string? Asset { get; set; }

    /// <summary>The data asset's version, or <see cref="Latest"/>.</summary>
    public string? Version { get; set; } = Latest;

    public DataAssetType Type { get; set; } = DataAssetType.UriFolder;

    /// <summary>The stored files of a local input of a copied job (re-run and clone send the same data).</summary>
    public string? Snapshot { get; set; }

    /// <summary><c>ro_mount</c> (default), <c>download</c> or <c>direct</c>.</summary>
    public string? Mode { get; set; }

    /// <summary>The <c>path:</c> the row gives (empty when it is incomplete; <see cref="Validate"/> says why).</summary>
    public string Location => Source switch
    {
        DataInputSource.Datastore => $"azureml://datastores/{Datastore?.Trim()}/paths/{Path?.Trim().TrimStart('/')}",
        DataInputSource.Url => Url?.Trim() ?? string.Empty,
        DataInputSource.Asset => string.IsNullOrWhiteSpace(Version) || Version.Trim() == Latest ? $"azureml:{Asset?.Trim()}@latest" : $"azureml:{Asset?.Trim()}:{Version.Trim()}",
        _ => Path?.Trim() ?? string.Empty,
    };

    public JobDataInput ToInput() => new(Type, Location, string.IsNullOrWhiteSpace(Mode) ? null : Mode.Trim()) { Snapshot = Source == DataInputSource.Local ? Snapshot : null };

    /// <summary>A row for an input of an imported or copied spec.</summary>
    public static DataInputRow From(string name, JobDataInput input)
    {
        var row = new DataInputRow { Name = name, Type = input.Type, Mode = input.Mode, Datastore = null, Version = null, Snapshot = input.Snapshot };
        var location = ArtifactUri.Parse(input.Path, "path");
        if (!location.IsSuccess)
        {
            row.Source = DataInputSource.Local;
            row.Path = input.Path;
            return row;
        }

        var where = location.Value;
        switch (where.Kind)
        {
            case ArtifactUriKind.DatastorePath:
                (row.Source, row.Datastore, row.Path) = (DataInputSource.Datastore, where.Datastore, where.Path);
                break;
            case ArtifactUriKind.Https:
                (row.Source, row.Url) = (DataInputSource.Url, where.Url!.AbsoluteUri);
                break;
            case ArtifactUriKind.Asset:
                (row.Source, row.Asset, row.Version) = (DataInputSource.Asset, where.AssetName, where.AssetVersion ?? Latest);
                break;
            default:
                (row.Source, row.Path) = (DataInputSource.Local, input.Path);
                break;
        }

        return row;
    }

    /// <summary>What is wrong with the row as the form sees it (before the service checks the datastore, path or asset), or null.</summary>
    public string? Validate(bool hasFiles)
    {
        if (string.IsNullOrWhiteSpace(Name))
        {
            return "Name the input (the command uses it as ${{inputs.NAME}}).";
        }

        if (!JobSpecRules.IsInputName(Name.Trim()))
        {
            return $"'{Name}' is not an input name: letters, digits and '_', starting with a letter or '_'.";
        }

        return Source switch
        {
            DataInputSource.Datastore when string.IsNullOrWhiteSpace(Datastore) => "Choose a datastore.",
            DataInputSource.Datastore when string.IsNullOrWhiteSpace(Path) => "Enter the path in the datastore (a file, or a folder ending with '/').",
            DataInputSource.Url when !Uri.TryCreate(Url?.Trim(), UriKind.Absolute, out var url) || url.Scheme != Uri.UriSchemeHttps => "Enter an https:// URL.",
            DataInputSource.Asset when string.IsNullOrWhiteSpace(Asset) => "Choose a data asset.",
            DataInputSource.Local when string.IsNullOrWhiteSpace(Path) => "Enter the path of the input in the uploaded files (./data).",
            DataInputSource.Local when !hasFiles && Snapshot is null => $"'{Path}' is a file or folder beside the YAML: upload the files (Code and files) to send it with the job.",
            _ => null,
        };
    }
}
