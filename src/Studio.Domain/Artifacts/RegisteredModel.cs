using Studio.Domain.Common;

namespace Studio.Domain.Artifacts;

/// <summary>
/// A model registered in a workspace (<c>azureml:NAME@latest</c>, <c>azureml:NAME:VERSION</c>): a name and its immutable
/// versions. Without a version the next whole number is used, as in Azure ML. An <c>mlflow_model</c> must hold an
/// <c>MLmodel</c> file at its root (<see cref="CheckFiles"/>).
/// </summary>
public sealed class RegisteredModel : Entity
{
    /// <summary>The file that makes a folder an MLflow model.</summary>
    public const string MlflowFile = "MLmodel";

    private readonly List<ModelVersion> _versions = [];

    private RegisteredModel()
    {
        Name = string.Empty;
        NormalizedName = string.Empty;
    }

    public Guid Id { get; private set; }

    public Guid WorkspaceId { get; private set; }

    public string Name { get; private set; }

    /// <summary>The name in lower case: names are unique in a workspace regardless of case.</summary>
    public string NormalizedName { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public IReadOnlyCollection<ModelVersion> Versions => _versions;

    /// <summary>The newest version that is not archived; null when every version is.</summary>
    public ModelVersion? Latest => AssetRules.Latest(_versions, v => v.CreatedAt, v => v.Archived, v => v.Version);

    public static Result<RegisteredModel> Register(Guid workspaceId, string? name, ModelDraft draft, DateTimeOffset now, string createdBy)
    {
        var errors = new List<Error>();
        if (AssetName.Validate(name?.Trim()) is { } nameError)
        {
            errors.Add(Error.Validation("name", nameError));
        }

        var model = new RegisteredModel { Id = Guid.NewGuid(), WorkspaceId = workspaceId, Name = name?.Trim() ?? string.Empty, NormalizedName = DataAsset.Normalize(name ?? string.Empty), CreatedAt = now };
        var version = model.Add(draft, now, createdBy, errors);
        return version is null || errors.Count > 0 ? Result<RegisteredModel>.Failure(errors) : model;
    }

    public Result<ModelVersion> AddVersion(ModelDraft draft, DateTimeOffset now, string createdBy)
    {
        var errors = new List<Error>();
        var version = Add(draft, now, createdBy, errors);
        return version ?? Result<ModelVersion>.Failure(errors);
    }

    /// <summary>A version by its number, or the latest one for null.</summary>
    public ModelVersion? Find(string? version) => version is null
        ? Latest
        : _versions.FirstOrDefault(v => string.Equals(v.Version, version, StringComparison.OrdinalIgnoreCase));

    public Result Archive(string version, bool archived)
    {
        var found = Find(version);
        if (found is null)
        {
            return Result.Failure(Error.NotFound($"Model '{Name}' has no version {version}."));
        }

        found.Archive(archived);
        return Result.Success();
    }

    /// <summary>Deletes a version (false: nothing uses models yet, so nothing is archived instead).</summary>
    public Result<bool> Remove(string version)
    {
        var found = Find(version);
        if (found is null)
        {
            return Error.NotFound($"Model '{Name}' has no version {version}.");
        }

        _versions.Remove(found);
        return false;
    }

    /// <summary>
    /// Null when <paramref name="files"/> (paths relative to the model's folder) suit <paramref name="type"/>; an
    /// <c>mlflow_model</c> needs its <c>MLmodel</c> file at the root.
    /// </summary>
    public static Error? CheckFiles(ModelType type, IEnumerable<string> files, string field = "file")
    {
        var list = files.ToList();
        if (list.Count == 0)
        {
            return Error.Validation(field, "The model has no files.");
        }

        return type == ModelType.MlflowModel && !list.Any(f => f == MlflowFile)
            ? Error.Validation(field, $"An mlflow_model is a folder with an '{MlflowFile}' file at its root (as mlflow.save_model writes it); none was found. Upload the folder that holds MLmodel, or choose custom_model.")
            : null;
    }

    private ModelVersion? Add(ModelDraft draft, DateTimeOffset now, string createdBy, List<Error> errors)
    {
        var number = string.IsNullOrWhiteSpace(draft.Version) ? null : draft.Version.Trim();
        AssetRules.Check(number, draft.Description, draft.Tags, errors);
        var path = AssetRules.Location(draft.Path, draft.Snapshot, isFile: false, allowHttps: false, errors);
        if (draft.Lineage is { } lineage && string.IsNullOrWhiteSpace(lineage.Job))
        {
            errors.Add(Error.Validation("job", "Name the job the model comes from."));
        }

        if (errors.Count > 0)
        {
            return null;
        }

        number ??= AssetRules.NextVersion(_versions.Select(v => v.Version));
        if (Find(number) is not null)
        {
            errors.Add(Error.Conflict("asset_version_exists", $"Model '{Name}' already has version {number}; versions are immutable — register a new version instead.", "version"));
            return null;
        }

        var created = new ModelVersion(
            number, draft.Type, path!, draft.Snapshot is null ? null : ContentHash.Parse(draft.Snapshot).Value.ToString(), draft.Lineage,
            string.IsNullOrWhiteSpace(draft.Description) ? null : draft.Description.Trim(),
            new Dictionary<string, string>(draft.Tags ?? new Dictionary<string, string>(), StringComparer.Ordinal), now, createdBy);
        _versions.Add(created);
        return created;
    }
}

/// <summary>What a new model version is: type, version (null: the next number), where its files are, lineage and what it says.</summary>
public sealed record ModelDraft(ModelType Type, string? Version, string? Path, string? Snapshot = null, ModelLineage? Lineage = null, string? Description = null, IReadOnlyDictionary<string, string>? Tags = null);
