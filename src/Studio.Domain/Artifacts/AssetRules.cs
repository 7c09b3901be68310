using System.Globalization;
using Studio.Domain.Common;

namespace Studio.Domain.Artifacts;

/// <summary>The rules data asset and model versions share: versions (auto-increment), descriptions, tags and where the files are.</summary>
public static class AssetRules
{
    public const int MaxDescriptionLength = 5000;
    public const int MaxTags = 50;
    public const int MaxTagLength = 256;

    /// <summary>The next whole number after the highest numeric version (Azure ML's auto-increment when no version is given).</summary>
    public static string NextVersion(IEnumerable<string> versions) =>
        (versions.Select(v => long.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0).DefaultIfEmpty(0).Max() + 1).ToString(CultureInfo.InvariantCulture);

    /// <summary>Adds an error, named by its field, for an invalid version, description or tags.</summary>
    internal static void Check(string? version, string? description, IReadOnlyDictionary<string, string>? tags, List<Error> errors)
    {
        if (version is not null && AssetName.ValidateVersion(version) is { } versionError)
        {
            errors.Add(Error.Validation("version", versionError));
        }

        if (description is { Length: > MaxDescriptionLength })
        {
            errors.Add(Error.Validation("description", $"The description is at most {MaxDescriptionLength} characters."));
        }

        if (tags is null)
        {
            return;
        }

        if (tags.Count > MaxTags)
        {
            errors.Add(Error.Validation("tags", $"At most {MaxTags} tags."));
        }
        else if (tags.Any(t => t.Key.Trim().Length is 0 or > MaxTagLength || t.Value.Length > MaxTagLength))
        {
            errors.Add(Error.Validation("tags", $"Tag keys are 1 to {MaxTagLength} characters and values at most {MaxTagLength}."));
        }
    }

    /// <summary>
    /// Checks where a version's files are: uploaded files (<paramref name="snapshot"/>, with <paramref name="path"/> the
    /// uploaded file's or folder's name) or a location — a datastore path, or an https URL where <paramref name="allowHttps"/>.
    /// Returns the canonical path, or adds errors on <c>path</c>.
    /// </summary>
    internal static string? Location(string? path, string? snapshot, bool isFile, bool allowHttps, List<Error> errors)
    {
        if (snapshot is not null)
        {
            if (!ContentHash.Parse(snapshot, "snapshot").IsSuccess)
            {
                errors.Add(Error.Validation("snapshot", $"'{snapshot}' is not a stored upload."));
                return null;
            }

            var (name, error) = ArtifactPath.Normalize(string.IsNullOrWhiteSpace(path) ? (isFile ? "data" : "data/") : path.Trim());
            if (error is not null)
            {
                errors.Add(Error.Validation("path", error));
                return null;
            }

            if (isFile && name!.EndsWith('/'))
            {
                errors.Add(Error.Validation("path", "A uri_file upload is one file, not a folder."));
                return null;
            }

            return name;
        }

        var location = ArtifactUri.Parse(path, "path");
        if (!location.IsSuccess)
        {
            errors.AddRange(location.Errors);
            return null;
        }

        var kind = location.Value.Kind;
        if (kind == ArtifactUriKind.DatastorePath || (allowHttps && kind == ArtifactUriKind.Https))
        {
            if (isFile && kind == ArtifactUriKind.DatastorePath && location.Value.Path is { } p && (p.Length == 0 || p.EndsWith('/')))
            {
                errors.Add(Error.Validation("path", "A uri_file asset points at a file, not a folder."));
                return null;
            }

            return location.Value.ToString();
        }

        errors.Add(Error.Validation("path", kind switch
        {
            ArtifactUriKind.Asset => "An asset cannot point at another asset; give its datastore path.",
            ArtifactUriKind.Https => "A model's files are on a datastore (azureml://datastores/NAME/paths/PATH) or uploaded; an https URL is not kept.",
            _ => "Local files are uploaded with the version (multipart, a part 'file'); a path points at azureml://datastores/NAME/paths/PATH" + (allowHttps ? " or an https URL." : "."),
        }));
        return null;
    }

    /// <summary>The latest version of <paramref name="versions"/>: the most recently created one that is not archived.</summary>
    internal static T? Latest<T>(IEnumerable<T> versions, Func<T, DateTimeOffset> createdAt, Func<T, bool> archived, Func<T, string> version) =>
        versions.Where(v => !archived(v))
            .OrderByDescending(createdAt)
            .ThenByDescending(v => long.TryParse(version(v), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0)
            .FirstOrDefault();
}
