namespace Studio.Domain.Artifacts;

/// <summary>Azure ML's rules for data asset and model names and versions (as environments: letters, digits, '-', '_', '.').</summary>
public static class AssetName
{
    public const int MaxLength = 255;
    public const int VersionMaxLength = 64;

    /// <summary>Null when <paramref name="name"/> is a valid asset name, else why not.</summary>
    public static string? Validate(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return "Enter a name.";
        }

        if (name.Length > MaxLength)
        {
            return $"The name must be at most {MaxLength} characters.";
        }

        if (!char.IsAsciiLetterOrDigit(name[0]))
        {
            return "The name must start with a letter or a digit.";
        }

        return name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.') ? null : "The name may contain only letters, digits, '-', '_' and '.'.";
    }

    /// <summary>Null when <paramref name="version"/> is a valid version label, else why not.</summary>
    public static string? ValidateVersion(string? version)
    {
        if (string.IsNullOrWhiteSpace(version))
        {
            return "Enter a version.";
        }

        if (version.Length > VersionMaxLength)
        {
            return $"The version must be at most {VersionMaxLength} characters.";
        }

        return char.IsAsciiLetterOrDigit(version[0]) && version.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')
            ? null
            : "The version may contain only letters, digits, '-', '_' and '.', starting with a letter or digit.";
    }
}
