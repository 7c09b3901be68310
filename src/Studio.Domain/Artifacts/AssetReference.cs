using Studio.Domain.Common;

namespace Studio.Domain.Artifacts;

/// <summary>
/// A reference to one version of a versioned asset — an environment, a data asset or a model — as CLI v2 files and API
/// callers write it; the one place of that rule:
/// <list type="bullet">
/// <item><c>azureml:NAME@latest</c> and <c>azureml:NAME:VERSION</c> (the <c>azureml:</c> prefix optional, any case);</item>
/// <item><c>NAME</c> alone, read as latest where the caller allows it (environments);</item>
/// <item>the long form <c>azureml:/subscriptions/.../workspaces/WS/environments/NAME/versions/V</c>;</item>
/// <item>a registry's <c>azureml://registries/REGISTRY/KIND/NAME/labels/latest</c> or <c>.../versions/V</c>
/// (<see cref="Registry"/> set).</item>
/// </list>
/// <see cref="Version"/> null means latest. Names and versions follow <see cref="AssetName"/>.
/// </summary>
public sealed record AssetReference(string Name, string? Version)
{
    /// <summary>The prefix of Azure ML asset references in CLI v2 files and API calls.</summary>
    public const string Prefix = "azureml:";

    private const string RegistryPrefix = "azureml://registries/";

    /// <summary>The registry's name (<c>azureml</c> for <c>azureml://registries/azureml/environments/...</c>); null for a workspace asset.</summary>
    public string? Registry { get; init; }

    /// <summary>The asset kind in a registry reference's path (<c>environments</c>, <c>data</c>, <c>models</c>).</summary>
    public string? RegistryKind { get; init; }

    /// <summary>The reference in its canonical spelling (<c>azureml:NAME@latest</c>, <c>azureml:NAME:VERSION</c>).</summary>
    public override string ToString() => Registry is not null
        ? $"{RegistryPrefix}{Registry}/{RegistryKind}/{Name}{(Version is null ? "/labels/latest" : "/versions/" + Version)}"
        : Version is null ? $"{Prefix}{Name}@latest" : $"{Prefix}{Name}:{Version}";

    /// <summary>The reference without the <c>azureml:</c> prefix, as job specs keep it (<c>NAME@latest</c>, <c>NAME:VERSION</c>).</summary>
    public string ToShortString() => Version is null ? $"{Name}@latest" : $"{Name}:{Version}";

    /// <summary><paramref name="text"/> trimmed and without the <c>azureml:</c> prefix (any case).</summary>
    public static string StripPrefix(string text)
    {
        var trimmed = text.Trim();
        return trimmed.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase) && !trimmed.StartsWith("azureml://", StringComparison.OrdinalIgnoreCase)
            ? trimmed[Prefix.Length..].TrimStart()
            : trimmed;
    }

    /// <summary>
    /// Parses <paramref name="text"/>; errors name <paramref name="field"/>. With <paramref name="bareNameIsLatest"/>, a
    /// name without <c>@latest</c> or <c>:VERSION</c> is the latest version (as environments are read); otherwise it is
    /// refused (data inputs must say which version).
    /// </summary>
    public static Result<AssetReference> Parse(string? text, string field, bool bareNameIsLatest = false)
    {
        var value = text?.Trim() ?? string.Empty;
        if (value.Length == 0)
        {
            return Error.Validation(field, "The reference is empty: give azureml:NAME@latest or azureml:NAME:VERSION.");
        }

        if (value.StartsWith(RegistryPrefix, StringComparison.OrdinalIgnoreCase))
        {
            return ParseRegistry(value, field);
        }

        var rest = StripPrefix(value);
        if (rest.StartsWith("/subscriptions/", StringComparison.OrdinalIgnoreCase))
        {
            return ParseLongForm(value, rest, field);
        }

        string name;
        string? version = null;
        var at = rest.IndexOf('@', StringComparison.Ordinal);
        var colon = rest.IndexOf(':', StringComparison.Ordinal);
        if (at >= 0 && (colon < 0 || at < colon))
        {
            name = rest[..at];
            var label = rest[(at + 1)..];
            if (!label.Equals("latest", StringComparison.OrdinalIgnoreCase))
            {
                return Error.Validation(field, $"'{value}' uses the label '@{label}'; only '@latest' is supported (or ':VERSION').");
            }
        }
        else if (colon >= 0)
        {
            name = rest[..colon];
            version = rest[(colon + 1)..];
            if (AssetName.ValidateVersion(version) is { } versionError)
            {
                return Error.Validation(field, $"'{value}': {versionError}");
            }
        }
        else if (bareNameIsLatest)
        {
            name = rest;
        }
        else
        {
            return Error.Validation(field, $"'{value}' names no version: use azureml:{rest}@latest or azureml:{rest}:VERSION.");
        }

        return AssetName.Validate(name) is { } nameError
            ? Error.Validation(field, $"'{value}': {nameError}")
            : new AssetReference(name, version);
    }

    // azureml://registries/REGISTRY/KIND/NAME[/labels/latest | /versions/V]
    private static Result<AssetReference> ParseRegistry(string value, string field)
    {
        var parts = value[RegistryPrefix.Length..].Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length is not (3 or 5) || (parts.Length == 5 && !IsLatestLabel(parts[3], parts[4]) && !parts[3].Equals("versions", StringComparison.OrdinalIgnoreCase)))
        {
            return Error.Validation(field, $"'{value}' is not a registry reference: use azureml://registries/REGISTRY/environments/NAME/labels/latest or .../versions/VERSION.");
        }

        var version = parts.Length == 5 && parts[3].Equals("versions", StringComparison.OrdinalIgnoreCase) ? parts[4] : null;
        if (version is not null && AssetName.ValidateVersion(version) is { } versionError)
        {
            return Error.Validation(field, $"'{value}': {versionError}");
        }

        return AssetName.Validate(parts[2]) is { } nameError
            ? Error.Validation(field, $"'{value}': {nameError}")
            : new AssetReference(parts[2], version) { Registry = parts[0], RegistryKind = parts[1] };
    }

    // azureml:/subscriptions/S/resourceGroups/RG/providers/.../workspaces/WS/KIND/NAME[/versions/V]
    private static Result<AssetReference> ParseLongForm(string value, string rest, string field)
    {
        var parts = rest.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var ws = Array.FindIndex(parts, p => p.Equals("workspaces", StringComparison.OrdinalIgnoreCase));
        if (ws < 0 || ws + 3 >= parts.Length)
        {
            return Error.Validation(field, $"'{value}' is not an asset reference: use azureml:NAME@latest or azureml:NAME:VERSION.");
        }

        var name = parts[ws + 3];
        var version = ws + 5 < parts.Length && parts[ws + 4].Equals("versions", StringComparison.OrdinalIgnoreCase) ? parts[ws + 5] : null;
        if (version is not null && AssetName.ValidateVersion(version) is { } versionError)
        {
            return Error.Validation(field, $"'{value}': {versionError}");
        }

        return AssetName.Validate(name) is { } nameError ? Error.Validation(field, $"'{value}': {nameError}") : new AssetReference(name, version);
    }

    private static bool IsLatestLabel(string labels, string label) =>
        labels.Equals("labels", StringComparison.OrdinalIgnoreCase) && label.Equals("latest", StringComparison.OrdinalIgnoreCase);
}
