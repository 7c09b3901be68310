using Studio.Domain.Common;

namespace Studio.Domain.Artifacts;

/// <summary>
/// A parsed reference to code, data or a model, in Azure ML's syntax — the one parser for them (reference §4.1):
/// <list type="bullet">
/// <item><c>azureml://datastores/&lt;name&gt;/paths/&lt;path&gt;</c> (also the long form with
/// <c>/subscriptions/.../workspaces/.../datastores/...</c>) → <see cref="ArtifactUriKind.DatastorePath"/>;</item>
/// <item><c>azureml:name@latest</c>, <c>azureml:name:version</c> → <see cref="ArtifactUriKind.Asset"/>;</item>
/// <item><c>https://...</c> → <see cref="ArtifactUriKind.Https"/>;</item>
/// <item>anything else without a scheme (<c>./data</c>, <c>src</c>, <c>file:./x</c>) → <see cref="ArtifactUriKind.LocalPath"/>.</item>
/// </list>
/// Paths are normalized and refused when they leave their folder (<see cref="ArtifactPath"/>).
/// </summary>
public sealed record ArtifactUri
{
    private const string DatastorePrefix = "azureml://";

    private ArtifactUri(ArtifactUriKind kind) => Kind = kind;

    public ArtifactUriKind Kind { get; }

    /// <summary>The datastore's name (<see cref="ArtifactUriKind.DatastorePath"/>).</summary>
    public string? Datastore { get; private init; }

    /// <summary>The normalized relative path (datastore and local paths; folders end with '/').</summary>
    public string? Path { get; private init; }

    /// <summary>The asset's name (<see cref="ArtifactUriKind.Asset"/>).</summary>
    public string? AssetName { get; private init; }

    /// <summary>The asset's version; null is <c>@latest</c>.</summary>
    public string? AssetVersion { get; private init; }

    /// <summary>The URL (<see cref="ArtifactUriKind.Https"/>).</summary>
    public Uri? Url { get; private init; }

    /// <summary>The reference in its canonical Azure ML spelling.</summary>
    public override string ToString() => Kind switch
    {
        ArtifactUriKind.DatastorePath => $"azureml://datastores/{Datastore}/paths/{Path}",
        ArtifactUriKind.Asset => Asset!.ToString(),
        ArtifactUriKind.Https => Url!.AbsoluteUri,
        _ => Path!,
    };

    public static ArtifactUri ForDatastore(string datastore, string path) => new(ArtifactUriKind.DatastorePath) { Datastore = datastore, Path = path };

    /// <summary>Parses <paramref name="text"/>; errors name <paramref name="field"/> (a YAML path such as <c>inputs.cifar.path</c>).</summary>
    public static Result<ArtifactUri> Parse(string? text, string field)
    {
        var value = text?.Trim();
        if (string.IsNullOrEmpty(value))
        {
            return Error.Validation(field, "The path is empty: give azureml://datastores/NAME/paths/PATH, azureml:NAME@latest, azureml:NAME:VERSION, an https:// URL or a local path.");
        }

        if (value.StartsWith(DatastorePrefix, StringComparison.OrdinalIgnoreCase))
        {
            return ParseDatastore(value, field);
        }

        if (value.StartsWith(AssetReference.Prefix, StringComparison.OrdinalIgnoreCase))
        {
            return ParseAsset(value, field);
        }

        if (value.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
        {
            if (!Uri.TryCreate(value, UriKind.Absolute, out var url) || string.IsNullOrEmpty(url.Host))
            {
                return Error.Validation(field, $"'{value}' is not a valid https URL.");
            }

            return new ArtifactUri(ArtifactUriKind.Https) { Url = url };
        }

        var scheme = value.IndexOf("://", StringComparison.Ordinal);
        if (scheme > 0)
        {
            var name = value[..scheme];
            return Error.Validation(field, name.Equals("http", StringComparison.OrdinalIgnoreCase)
                ? $"'{value}' is plain http; only https URLs are read (the data would travel unencrypted)."
                : $"'{name}://' URLs are not read directly; register the storage as a datastore and use azureml://datastores/NAME/paths/PATH.");
        }

        if (value.StartsWith("file:", StringComparison.OrdinalIgnoreCase))
        {
            value = value[5..];
        }

        var (path, error) = ArtifactPath.Normalize(value);
        return error is null ? new ArtifactUri(ArtifactUriKind.LocalPath) { Path = path } : Error.Validation(field, error);
    }

    private static Result<ArtifactUri> ParseDatastore(string value, string field)
    {
        var rest = value[DatastorePrefix.Length..];
        var at = rest.IndexOf("datastores/", StringComparison.OrdinalIgnoreCase);
        if (at < 0 || (at > 0 && rest[at - 1] != '/'))
        {
            return Error.Validation(field, rest.StartsWith("registries/", StringComparison.OrdinalIgnoreCase)
                ? $"'{value}' is a registry asset; registries are not available in Studio."
                : $"'{value}' is not a datastore path: use azureml://datastores/NAME/paths/PATH.");
        }

        rest = rest[(at + "datastores/".Length)..];
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        var name = slash < 0 ? rest : rest[..slash];
        if (DatastoreName.Validate(name) is { } nameError)
        {
            return Error.Validation(field, $"'{value}': {nameError}");
        }

        var tail = slash < 0 ? string.Empty : rest[(slash + 1)..];
        if (!tail.StartsWith("paths/", StringComparison.OrdinalIgnoreCase) && tail.Length > 0)
        {
            return Error.Validation(field, $"'{value}' is not a datastore path: after the datastore's name comes /paths/PATH.");
        }

        var (path, error) = ArtifactPath.Normalize(tail.Length == 0 ? string.Empty : Uri.UnescapeDataString(tail["paths/".Length..]), allowRoot: true);
        return error is null ? ForDatastore(name, path!) : Error.Validation(field, $"'{value}': {error}");
    }

    private static Result<ArtifactUri> ParseAsset(string value, string field)
    {
        var reference = AssetReference.Parse(value, field);
        return reference.IsSuccess
            ? new ArtifactUri(ArtifactUriKind.Asset) { AssetName = reference.Value.Name, AssetVersion = reference.Value.Version }
            : Result<ArtifactUri>.Failure(reference.Errors);
    }

    /// <summary>The asset this names (<see cref="ArtifactUriKind.Asset"/>), else null.</summary>
    public AssetReference? Asset => Kind == ArtifactUriKind.Asset ? new AssetReference(AssetName!, AssetVersion) : null;
}
