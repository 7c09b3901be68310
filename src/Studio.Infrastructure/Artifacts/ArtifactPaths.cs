using Studio.Domain.Artifacts;

namespace Studio.Infrastructure.Artifacts;

/// <summary>Path checks every store applies before it touches storage.</summary>
internal static class ArtifactPaths
{
    /// <summary>The normalized file path, or an <see cref="ArgumentException"/>: stores are called with validated paths only.</summary>
    public static string File(string path)
    {
        var (normalized, error) = ArtifactPath.Normalize(path);
        if (error is not null || normalized!.EndsWith('/'))
        {
            throw new ArgumentException(error ?? $"'{path}' is a folder, not a file.", nameof(path));
        }

        return normalized;
    }

    /// <summary>The normalized folder prefix ("" or ending with '/').</summary>
    public static string Folder(string prefix)
    {
        var (normalized, error) = ArtifactPath.Normalize(prefix, allowRoot: true);
        if (error is not null)
        {
            throw new ArgumentException(error, nameof(prefix));
        }

        return normalized!.Length == 0 || normalized.EndsWith('/') ? normalized : normalized + "/";
    }

    /// <summary>The key under a store's root prefix.</summary>
    public static string Under(string root, string path) => root.Length == 0 ? path : root.TrimEnd('/') + "/" + path;
}
