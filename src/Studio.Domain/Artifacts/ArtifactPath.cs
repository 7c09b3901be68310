namespace Studio.Domain.Artifacts;

/// <summary>
/// Relative paths inside a snapshot, a datastore or a job's files: <c>/</c>-separated, no empty, <c>.</c> or <c>..</c>
/// segment after normalization, never absolute, never a drive or a backslash, no control characters. The one check that
/// YAML <c>path:</c> values, zip entries and signed-URL scopes go through, so a traversal is refused everywhere alike.
/// </summary>
public static class ArtifactPath
{
    /// <summary>Longest path Studio stores (S3 keys and Azure blob names allow 1,024).</summary>
    public const int MaxLength = 1024;

    /// <summary>
    /// The normalized form of <paramref name="path"/> (<c>./data//x/</c> → <c>data/x/</c>; a trailing slash is kept for
    /// folders), or the reason it is refused. An empty path (the root) is allowed when <paramref name="allowRoot"/> is set.
    /// </summary>
    public static (string? Path, string? Error) Normalize(string? path, bool allowRoot = false)
    {
        if (path is null || path.Length == 0 || path.Trim().Length == 0)
        {
            return allowRoot ? (string.Empty, null) : (null, "The path is empty.");
        }

        if (path.Length > MaxLength)
        {
            return (null, $"The path is longer than {MaxLength} characters.");
        }

        if (path.Any(char.IsControl))
        {
            return (null, "The path contains a control character.");
        }

        if (path.Contains('\\', StringComparison.Ordinal))
        {
            return (null, $"'{path}' contains a backslash; use '/' between folders.");
        }

        if (path.StartsWith('/') || path.StartsWith('~') || (path.Length >= 2 && path[1] == ':' && char.IsAsciiLetter(path[0])))
        {
            return (null, $"'{path}' is absolute; give a path relative to the job's folder or the datastore.");
        }

        var folder = path.EndsWith('/');
        var segments = new List<string>();
        foreach (var segment in path.Split('/'))
        {
            switch (segment)
            {
                case "" or ".":
                    continue;
                case "..":
                    return (null, $"'{path}' leaves its folder ('..' is not allowed).");
                default:
                    segments.Add(segment);
                    break;
            }
        }

        if (segments.Count == 0)
        {
            return allowRoot ? (string.Empty, null) : (null, $"'{path}' names no file or folder.");
        }

        var normalized = string.Join('/', segments);
        return (folder ? normalized + "/" : normalized, null);
    }

    /// <summary>Whether <paramref name="path"/> is <paramref name="scope"/> itself or lies under it (both normalized; an empty scope is everything).</summary>
    public static bool IsWithin(string path, string scope)
    {
        if (scope.Length == 0)
        {
            return true;
        }

        var folder = scope.TrimEnd('/');
        return string.Equals(path.TrimEnd('/'), folder, StringComparison.Ordinal) || path.StartsWith(folder + "/", StringComparison.Ordinal);
    }
}
