using Studio.Domain.Artifacts;
using Studio.Domain.Common;
using Studio.Domain.Jobs;
using Studio.Infrastructure.Assets;

namespace Studio.Web.Api;

/// <summary>Helpers the data asset and model create requests share.</summary>
internal static class AssetRequests
{
    /// <summary>
    /// For an imported YAML: a local <c>path:</c> is taken from the files sent with it (the part <c>file</c>, a zip); a
    /// datastore path or URL needs no files (and a file sent with one is refused rather than ignored).
    /// </summary>
    public static Result<AssetUpload?> LocalUpload(string? path, string? fileName, Stream spool)
    {
        var location = ArtifactUri.Parse(path, "path");
        if (!location.IsSuccess || location.Value.Kind != ArtifactUriKind.LocalPath)
        {
            return fileName is null
                ? Result<AssetUpload?>.Ok(null)
                : Error.Validation(AssetEndpoints.FilePart, $"The YAML's path '{path}' is not a local path, so the files sent with it would not be used; send the YAML alone.");
        }

        return fileName is null
            ? Error.Validation("path", $"path: '{path}' is local: send the YAML with its files (multipart/form-data: a part '{AssetEndpoints.YamlPart}' and a part '{AssetEndpoints.FilePart}', a zip of the files beside the YAML).")
            : new AssetUpload(spool, fileName, IsZip: true, FromPath: location.Value.Path);
    }

    public static IReadOnlyList<YamlIssue> Ignored(IReadOnlyList<string> keys, string what) =>
        [.. keys.Select(k => new YamlIssue(k, $"'{k}' of a {what} is not kept by Studio; it is ignored."))];
}
