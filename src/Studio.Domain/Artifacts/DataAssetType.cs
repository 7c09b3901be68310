namespace Studio.Domain.Artifacts;

/// <summary>Azure ML's data asset types Studio supports.</summary>
public enum DataAssetType
{
    /// <summary><c>uri_file</c>: one file.</summary>
    UriFile,

    /// <summary><c>uri_folder</c>: a folder.</summary>
    UriFolder,
}
