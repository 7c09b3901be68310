using Studio.Domain.Common;

namespace Studio.Domain.Workspaces;

/// <summary>
/// A named, versioned environment registered in a workspace (Azure ML's <c>azureml:NAME:VERSION</c>): a container
/// image that jobs and deployments can name instead of spelling out the image. Versions are immutable once registered;
/// a new image is a new version.
/// </summary>
public sealed class WorkspaceEnvironment
{
    /// <summary>Azure ML's limit for asset names.</summary>
    public const int NameMaxLength = 255;

    public const int VersionMaxLength = 64;

    private WorkspaceEnvironment()
    {
        Name = string.Empty;
        Version = string.Empty;
        Image = string.Empty;
        RegisteredBy = string.Empty;
    }

    internal WorkspaceEnvironment(string name, string version, string image, string? description, DateTimeOffset registeredAt, string registeredBy)
    {
        Name = name;
        Version = version;
        Image = image;
        Description = description;
        RegisteredAt = registeredAt;
        RegisteredBy = registeredBy;
    }

    public string Name { get; private set; }

    public string Version { get; private set; }

    /// <summary>The container image the environment maps to.</summary>
    public string Image { get; private set; }

    public string? Description { get; private set; }

    public DateTimeOffset RegisteredAt { get; private set; }

    /// <summary>Display name of who registered this version.</summary>
    public string RegisteredBy { get; private set; }

    /// <summary>The reference a job YAML uses for this version: <c>azureml:NAME:VERSION</c>.</summary>
    public string Reference => $"azureml:{Name}:{Version}";

    /// <summary>Null when <paramref name="name"/> is a valid environment name, else why not.</summary>
    public static string? ValidateName(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return "Enter a name.";
        }

        if (name.Length > NameMaxLength)
        {
            return $"The name must be at most {NameMaxLength} characters.";
        }

        if (!char.IsAsciiLetterOrDigit(name[0]))
        {
            return "The name must start with a letter or a digit.";
        }

        return name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')
            ? null
            : "The name may contain only letters, digits, '-', '_' and '.'.";
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

        return version.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.') && char.IsAsciiLetterOrDigit(version[0])
            ? null
            : "The version may contain only letters, digits, '-', '_' and '.', starting with a letter or digit.";
    }

    /// <summary>
    /// Splits a reference — <c>NAME</c>, <c>NAME@latest</c>, <c>NAME:VERSION</c>, each optionally prefixed with
    /// <c>azureml:</c> — into a name and a version (null = latest). Returns an error for anything else.
    /// </summary>
    public static Result<(string Name, string? Version)> ParseReference(string? reference)
    {
        var text = ComputeTargetName.Parse(reference ?? string.Empty);

        string name;
        string? version = null;
        var at = text.IndexOf('@', StringComparison.Ordinal);
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (at >= 0)
        {
            name = text[..at];
            var label = text[(at + 1)..];
            if (!string.Equals(label, "latest", StringComparison.OrdinalIgnoreCase))
            {
                return Error.Validation("environment", $"Environment reference '{reference}' uses the label '@{label}'; only '@latest' is supported (or ':VERSION').");
            }
        }
        else if (colon >= 0)
        {
            name = text[..colon];
            version = text[(colon + 1)..];
            if (ValidateVersion(version) is { } versionError)
            {
                return Error.Validation("environment", $"Environment reference '{reference}': {versionError}");
            }
        }
        else
        {
            name = text;
        }

        return ValidateName(name) is { } nameError
            ? Error.Validation("environment", $"Environment reference '{reference}': {nameError}")
            : Result<(string Name, string? Version)>.Ok((name, version));
    }
}
