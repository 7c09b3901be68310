using Studio.Domain.Common;

namespace Studio.Domain.Artifacts;

/// <summary>
/// A named place where a workspace's data lives (Azure ML's datastore): the studio's own store, an Azure Blob container,
/// an S3-compatible bucket or a read-only https base URL. IT operations create them; data scientists name them in
/// <c>azureml://datastores/NAME/paths/PATH</c>. The credentials are kept encrypted outside the aggregate and never
/// reach a pod: pods get URLs signed for the paths they need.
/// </summary>
public sealed class Datastore
{
    public const int MaxDescriptionLength = 1000;

    private Datastore()
    {
        Name = string.Empty;
        CreatedBy = string.Empty;
    }

    public Guid Id { get; private set; }

    public Guid WorkspaceId { get; private set; }

    public string Name { get; private set; }

    public DatastoreKind Kind { get; private set; }

    /// <summary>The service URL: the Blob account (<c>https://acct.blob.core.windows.net</c>), the S3 endpoint, or the https base URL; null for the studio's store.</summary>
    public Uri? Endpoint { get; private set; }

    /// <summary>The Blob container or S3 bucket; null for the studio's store and https.</summary>
    public string? Container { get; private set; }

    /// <summary>The folder inside the container every path is under (normalized, may be empty).</summary>
    public string Prefix { get; private set; } = string.Empty;

    public string? Description { get; private set; }

    /// <summary>How the studio signs in to the storage; the secret is kept apart, encrypted.</summary>
    public DatastoreAuth Auth { get; private set; }

    /// <summary>The S3 region (signing region); null elsewhere.</summary>
    public string? Region { get; private set; }

    /// <summary>S3 path-style addressing (<c>endpoint/bucket/key</c>, as MinIO and most S3-compatible servers want).</summary>
    public bool PathStyle { get; private set; } = true;

    public DateTimeOffset? UpdatedAt { get; private set; }

    /// <summary>Whether this is the studio's own store every workspace has (<see cref="DatastoreName.Default"/>): it cannot be changed or deleted.</summary>
    public bool IsStudioDefault => Kind == DatastoreKind.StudioStore;

    /// <summary>Whether jobs may write outputs to it (https never).</summary>
    public bool ReadOnly => Kind == DatastoreKind.Https;

    public DateTimeOffset CreatedAt { get; private set; }

    public string CreatedBy { get; private set; }

    /// <summary>Validates and creates a datastore; every problem names its field.</summary>
    public static Result<Datastore> Create(Guid workspaceId, string? name, DatastoreKind kind, string? endpoint, string? container, string? prefix, string? description, DateTimeOffset now, string createdBy) =>
        Create(workspaceId, name, kind, new DatastoreSettings(endpoint, container, prefix, description, DefaultAuth(kind)), now, createdBy);

    /// <summary>Validates and creates a datastore with its settings; every problem names its field.</summary>
    public static Result<Datastore> Create(Guid workspaceId, string? name, DatastoreKind kind, DatastoreSettings settings, DateTimeOffset now, string createdBy)
    {
        var errors = new List<Error>();
        if (DatastoreName.Validate(name) is { } nameError)
        {
            errors.Add(Error.Validation("name", nameError));
        }

        var store = new Datastore { Id = Guid.NewGuid(), WorkspaceId = workspaceId, Name = name ?? string.Empty, Kind = kind, CreatedAt = now, CreatedBy = createdBy };
        errors.AddRange(store.Apply(settings));
        return errors.Count > 0 ? Result<Datastore>.Failure(errors) : store;
    }

    /// <summary>
    /// The studio's own store as the datastore <see cref="DatastoreName.Default"/> of a workspace: every workspace has one,
    /// its paths under <c>workspaces/&lt;id&gt;</c> of the configured artifact store, so no workspace reads another's.
    /// </summary>
    public static Datastore StudioDefault(Guid workspaceId) => new()
    {
        Id = workspaceId,
        WorkspaceId = workspaceId,
        Name = DatastoreName.Default,
        Kind = DatastoreKind.StudioStore,
        Prefix = $"workspaces/{workspaceId:N}",
        Description = "The studio's own artifact store (Studio:Artifacts:Store).",
        CreatedBy = "studio",
    };

    /// <summary>Changes where the data is and how the studio signs in (name and kind stay); the studio's own store cannot be changed.</summary>
    public Result Update(DatastoreSettings settings, DateTimeOffset now)
    {
        if (IsStudioDefault)
        {
            return Result.Failure(Error.Conflict("datastore_builtin", $"'{Name}' is the studio's own store; it cannot be changed."));
        }

        var copy = (Datastore)MemberwiseClone();
        var errors = copy.Apply(settings);
        if (errors.Count > 0)
        {
            return Result.Failure(errors);
        }

        Apply(settings);
        UpdatedAt = now;
        return Result.Success();
    }

    /// <summary>The authentication a store of <paramref name="kind"/> uses when none is named.</summary>
    public static DatastoreAuth DefaultAuth(DatastoreKind kind) => kind switch
    {
        DatastoreKind.AzureBlob => DatastoreAuth.AccountKey,
        DatastoreKind.S3 => DatastoreAuth.AccessKey,
        _ => DatastoreAuth.None,
    };

    private List<Error> Apply(DatastoreSettings settings)
    {
        var (kind, endpoint, container, prefix, description) = (Kind, settings.Endpoint, settings.Container, settings.Prefix, settings.Description);
        var errors = new List<Error>();

        Uri? url = null;
        if (kind != DatastoreKind.StudioStore)
        {
            if (!Uri.TryCreate(endpoint?.Trim(), UriKind.Absolute, out url) || url.Scheme is not ("https" or "http") || string.IsNullOrEmpty(url.Host))
            {
                errors.Add(Error.Validation("endpoint", kind switch
                {
                    DatastoreKind.AzureBlob => "Give the storage account's blob URL, e.g. https://myaccount.blob.core.windows.net.",
                    DatastoreKind.S3 => "Give the S3 endpoint URL, e.g. https://s3.eu-west-1.amazonaws.com or your MinIO address.",
                    _ => "Give the https base URL of the data.",
                }));
                url = null;
            }
            else if (url.Scheme == "http" && !url.IsLoopback)
            {
                errors.Add(Error.Validation("endpoint", "Plain http is only accepted on loopback; use https."));
            }
            else if (!string.IsNullOrEmpty(url.UserInfo) || !string.IsNullOrEmpty(url.Query))
            {
                errors.Add(Error.Validation("endpoint", "Put credentials in the credential fields, not in the URL (no user:password@ and no ?query)."));
            }
        }

        if (kind is DatastoreKind.AzureBlob or DatastoreKind.S3)
        {
            if (ValidateContainer(kind, container) is { } containerError)
            {
                errors.Add(Error.Validation("container", containerError));
            }
        }
        else if (!string.IsNullOrWhiteSpace(container))
        {
            errors.Add(Error.Validation("container", "Only Azure Blob and S3 datastores have a container or bucket."));
        }

        var (normalizedPrefix, prefixError) = ArtifactPath.Normalize(prefix, allowRoot: true);
        if (prefixError is not null)
        {
            errors.Add(Error.Validation("prefix", prefixError));
        }

        if (description is { Length: > MaxDescriptionLength })
        {
            errors.Add(Error.Validation("description", $"The description is at most {MaxDescriptionLength} characters."));
        }

        var allowed = kind switch
        {
            DatastoreKind.AzureBlob => [DatastoreAuth.AccountKey, DatastoreAuth.Sas, DatastoreAuth.Identity],
            DatastoreKind.S3 => [DatastoreAuth.AccessKey],
            _ => new[] { DatastoreAuth.None },
        };
        if (!allowed.Contains(settings.Auth))
        {
            errors.Add(Error.Validation("auth", $"A {kind} datastore authenticates with {string.Join(" or ", allowed)}, not {settings.Auth}."));
        }

        var region = settings.Region?.Trim();
        if (kind != DatastoreKind.S3 && !string.IsNullOrEmpty(region))
        {
            errors.Add(Error.Validation("region", "Only S3 datastores have a region."));
        }
        else if (region is { Length: > 0 } && (region.Length > 64 || !region.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-')))
        {
            errors.Add(Error.Validation("region", $"'{region}' is not a region name (lower-case letters, digits and '-', e.g. eu-west-1)."));
        }

        if (errors.Count > 0)
        {
            return errors;
        }

        Endpoint = url;
        Container = kind is DatastoreKind.AzureBlob or DatastoreKind.S3 ? container!.Trim() : null;
        Prefix = normalizedPrefix!.TrimEnd('/');
        Description = string.IsNullOrWhiteSpace(description) ? null : description.Trim();
        Auth = settings.Auth;
        Region = string.IsNullOrEmpty(region) ? null : region;
        PathStyle = kind != DatastoreKind.S3 || settings.PathStyle;
        return errors;
    }

    /// <summary>The object key of <paramref name="path"/> (normalized) inside the container: the prefix, then the path.</summary>
    public string KeyOf(string path) => Prefix.Length == 0 ? path : path.Length == 0 ? Prefix + "/" : $"{Prefix}/{path}";

    private static string? ValidateContainer(DatastoreKind kind, string? container)
    {
        var name = container?.Trim();
        if (string.IsNullOrEmpty(name))
        {
            return kind == DatastoreKind.AzureBlob ? "Give the blob container's name." : "Give the bucket's name.";
        }

        // Azure: 3-63, lower-case letters, digits and single '-'; S3: 3-63, lower-case letters, digits, '-' and '.'.
        var ok = name.Length is >= 3 and <= 63
            && char.IsAsciiLetterOrDigit(name[0]) && char.IsAsciiLetterOrDigit(name[^1])
            && name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-' || (c == '.' && kind == DatastoreKind.S3))
            && (kind == DatastoreKind.S3 || !name.Contains("--", StringComparison.Ordinal));
        return ok ? null : kind == DatastoreKind.AzureBlob
            ? $"'{name}' is not a blob container name (3-63 lower-case letters, digits and single hyphens)."
            : $"'{name}' is not a bucket name (3-63 lower-case letters, digits, '-' and '.').";
    }
}
