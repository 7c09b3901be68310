using Studio.Domain.Common;

namespace Studio.Domain.Artifacts;

/// <summary>
/// A data asset of a workspace (<c>azureml:NAME@latest</c>, <c>azureml:NAME:VERSION</c>): a name and its immutable
/// versions. Without a version the next whole number is used, as in Azure ML; <c>@latest</c> is the newest version that
/// is not archived.
/// </summary>
public sealed class DataAsset : Entity
{
    private readonly List<DataAssetVersion> _versions = [];

    private DataAsset()
    {
        Name = string.Empty;
        NormalizedName = string.Empty;
    }

    public Guid Id { get; private set; }

    public Guid WorkspaceId { get; private set; }

    /// <summary>The name as first registered (later versions may spell it in another case).</summary>
    public string Name { get; private set; }

    /// <summary>The name in lower case: names are unique in a workspace regardless of case.</summary>
    public string NormalizedName { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public IReadOnlyCollection<DataAssetVersion> Versions => _versions;

    /// <summary>The newest version that is not archived; null when every version is.</summary>
    public DataAssetVersion? Latest => AssetRules.Latest(_versions, v => v.CreatedAt, v => v.Archived, v => v.Version);

    public static string Normalize(string name) => name.Trim().ToLowerInvariant();

    /// <summary>A new asset with its first version; errors name the fields (<c>name</c>, <c>version</c>, <c>path</c>, ...).</summary>
    public static Result<DataAsset> Register(Guid workspaceId, string? name, DataAssetDraft draft, DateTimeOffset now, string createdBy)
    {
        var errors = new List<Error>();
        if (AssetName.Validate(name?.Trim()) is { } nameError)
        {
            errors.Add(Error.Validation("name", nameError));
        }

        var asset = new DataAsset { Id = Guid.NewGuid(), WorkspaceId = workspaceId, Name = name?.Trim() ?? string.Empty, NormalizedName = Normalize(name ?? string.Empty), CreatedAt = now };
        var version = asset.Add(draft, now, createdBy, errors);
        return version is null || errors.Count > 0 ? Result<DataAsset>.Failure(errors) : asset;
    }

    /// <summary>Adds a version; an existing version number is a conflict (versions are immutable).</summary>
    public Result<DataAssetVersion> AddVersion(DataAssetDraft draft, DateTimeOffset now, string createdBy)
    {
        var errors = new List<Error>();
        var version = Add(draft, now, createdBy, errors);
        return version ?? Result<DataAssetVersion>.Failure(errors);
    }

    /// <summary>A version by its number, or the latest one for null.</summary>
    public DataAssetVersion? Find(string? version) => version is null
        ? Latest
        : _versions.FirstOrDefault(v => string.Equals(v.Version, version, StringComparison.OrdinalIgnoreCase));

    /// <summary>Hides a version (or shows it again) in lists and for <c>@latest</c>.</summary>
    public Result Archive(string version, bool archived)
    {
        var found = Find(version);
        if (found is null)
        {
            return Result.Failure(Error.NotFound($"Data asset '{Name}' has no version {version}."));
        }

        found.Archive(archived);
        return Result.Success();
    }

    /// <summary>
    /// Deletes a version no job used; a version a job used is archived instead (true), so the job's record still resolves.
    /// </summary>
    public Result<bool> Remove(string version)
    {
        var found = Find(version);
        if (found is null)
        {
            return Error.NotFound($"Data asset '{Name}' has no version {version}.");
        }

        if (found.JobCount > 0)
        {
            found.Archive(true);
            return true;
        }

        _versions.Remove(found);
        return false;
    }

    /// <summary>Counts a job submitted with <paramref name="version"/> as an input.</summary>
    public void MarkUsed(DataAssetVersion version) => version.MarkUsed();

    private DataAssetVersion? Add(DataAssetDraft draft, DateTimeOffset now, string createdBy, List<Error> errors)
    {
        var number = string.IsNullOrWhiteSpace(draft.Version) ? null : draft.Version.Trim();
        AssetRules.Check(number, draft.Description, draft.Tags, errors);
        var path = AssetRules.Location(draft.Path, draft.Snapshot, draft.Type == DataAssetType.UriFile, allowHttps: true, errors);
        if (errors.Count > 0)
        {
            return null;
        }

        number ??= AssetRules.NextVersion(_versions.Select(v => v.Version));
        if (Find(number) is not null)
        {
            errors.Add(Error.Conflict("asset_version_exists", $"Data asset '{Name}' already has version {number}; versions are immutable — create a new version instead.", "version"));
            return null;
        }

        var created = new DataAssetVersion(
            number, draft.Type, path!, draft.Snapshot is null ? null : ContentHash.Parse(draft.Snapshot).Value.ToString(),
            string.IsNullOrWhiteSpace(draft.Description) ? null : draft.Description.Trim(),
            new Dictionary<string, string>(draft.Tags ?? new Dictionary<string, string>(), StringComparer.Ordinal), now, createdBy);
        _versions.Add(created);
        return created;
    }
}

/// <summary>What a new data asset version is: its type, version (null: the next number), where its files are, and what it says.</summary>
public sealed record DataAssetDraft(DataAssetType Type, string? Version, string? Path, string? Snapshot = null, string? Description = null, IReadOnlyDictionary<string, string>? Tags = null);
