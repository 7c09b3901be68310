using Studio.Domain.Common;

namespace Studio.Domain.Workspaces;

/// <summary>
/// A workspace: the unit of membership and of compute. Guards its rules: unique members, at least one administrator,
/// unique compute target names, and no deletion while compute targets are attached.
/// </summary>
public sealed class Workspace : Entity
{
    private readonly List<WorkspaceMember> _members = [];
    private readonly List<ComputeTarget> _computeTargets = [];
    private readonly List<WorkspaceEnvironment> _environments = [];

    private Workspace()
    {
        Name = string.Empty;
        NormalizedName = string.Empty;
    }

    private Workspace(Guid id, WorkspaceName name, string? description, DateTimeOffset createdAt)
    {
        Id = id;
        Name = name.Value;
        NormalizedName = name.Normalized;
        Description = description;
        CreatedAt = createdAt;
    }

    public Guid Id { get; private set; }

    public string Name { get; private set; }

    /// <summary>The case-insensitive uniqueness key of <see cref="Name"/>.</summary>
    public string NormalizedName { get; private set; }

    public string? Description { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public IReadOnlyCollection<WorkspaceMember> Members => _members;

    public IReadOnlyCollection<ComputeTarget> ComputeTargets => _computeTargets;

    /// <summary>Registered environments, every version.</summary>
    public IReadOnlyCollection<WorkspaceEnvironment> Environments => _environments;

    /// <summary>Creates a workspace whose creator becomes its first administrator.</summary>
    public static Workspace Create(WorkspaceName name, string? description, string creatorUserId, string creatorDisplayName, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(creatorUserId))
        {
            throw new DomainException("A workspace needs a creator.");
        }

        var workspace = new Workspace(Guid.NewGuid(), name, Normalize(description), now);
        workspace._members.Add(new WorkspaceMember(creatorUserId, creatorDisplayName, WorkspaceRole.Administrator, now));
        workspace.AddDomainEvent(new WorkspaceCreated(workspace.Id, workspace.Name));
        return workspace;
    }

    public void Rename(WorkspaceName newName)
    {
        if (newName.Value == Name)
        {
            return;
        }

        var old = Name;
        Name = newName.Value;
        NormalizedName = newName.Normalized;
        AddDomainEvent(new WorkspaceRenamed(Id, old, Name));
    }

    public void Describe(string? description) => Description = Normalize(description);

    /// <summary>The longest description of a workspace, compute target or environment (the database column's size).</summary>
    public const int MaxDescriptionLength = 1024;

    /// <summary>An error on <paramref name="field"/> when <paramref name="description"/> is longer than <see cref="MaxDescriptionLength"/>.</summary>
    public static Error? ValidateDescription(string? description, string field = "description") =>
        Normalize(description) is { Length: > MaxDescriptionLength } text
            ? Error.Validation(field, $"The description is {text.Length} characters; at most {MaxDescriptionLength}.")
            : null;

    /// <summary>Whether the workspace may be deleted now; it may not while compute targets are attached.</summary>
    public Result CanDelete() =>
        _computeTargets.Count == 0
            ? Result.Success()
            : Result.Failure(Error.Conflict(
                "workspace_has_compute",
                $"Workspace '{Name}' still has {_computeTargets.Count} compute target(s) attached ({string.Join(", ", _computeTargets.Select(c => c.Name))}). Detach them first."));

    public WorkspaceRole? RoleOf(string userId) =>
        _members.FirstOrDefault(m => string.Equals(m.UserId, userId, StringComparison.OrdinalIgnoreCase))?.Role;

    /// <summary>Adds a member, or changes the role of an existing one.</summary>
    public Result SetMember(string? userId, string? displayName, WorkspaceRole role, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(userId))
        {
            return Result.Failure(Error.Validation("userId", "Enter the user's sign-in name or e-mail."));
        }

        userId = userId.Trim();
        if (userId.Length > 256)
        {
            return Result.Failure(Error.Validation("userId", "The user name must be at most 256 characters."));
        }

        if (!Enum.IsDefined(role))
        {
            return Result.Failure(Error.Validation("role", "Choose Reader, DataScientist or Administrator."));
        }

        var existing = _members.FirstOrDefault(m => string.Equals(m.UserId, userId, StringComparison.OrdinalIgnoreCase));
        if (existing is null)
        {
            _members.Add(new WorkspaceMember(userId, string.IsNullOrWhiteSpace(displayName) ? userId : displayName.Trim(), role, now));
            return Result.Success();
        }

        if (existing.Role == WorkspaceRole.Administrator && role != WorkspaceRole.Administrator && AdministratorCount() == 1)
        {
            return Result.Failure(Error.Conflict("last_administrator", $"{existing.DisplayName} is the last administrator of '{Name}'. Make someone else an administrator first.", "role"));
        }

        existing.Role = role;
        return Result.Success();
    }

    public Result RemoveMember(string userId)
    {
        var existing = _members.FirstOrDefault(m => string.Equals(m.UserId, userId, StringComparison.OrdinalIgnoreCase));
        if (existing is null)
        {
            return Result.Failure(Error.NotFound($"'{userId}' is not a member of workspace '{Name}'."));
        }

        if (existing.Role == WorkspaceRole.Administrator && AdministratorCount() == 1)
        {
            return Result.Failure(Error.Conflict("last_administrator", $"{existing.DisplayName} is the last administrator of '{Name}' and cannot be removed."));
        }

        _members.Remove(existing);
        return Result.Success();
    }

    /// <summary>Attaches a cluster as a compute target bound to one namespace.</summary>
    public Result<ComputeTarget> AttachComputeTarget(string? name, Guid clusterId, string? @namespace, string? description, DateTimeOffset now, string? defaultInstanceType = null, NamespaceQuota? quota = null, bool namespaceCreatedByStudio = false)
    {
        var errors = new List<Error>();
        if (ComputeTargetName.Validate(name) is { } nameError)
        {
            errors.Add(Error.Validation("name", nameError));
        }
        else if (_computeTargets.Any(c => string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase)))
        {
            errors.Add(Error.Conflict("compute_exists", $"Workspace '{Name}' already has a compute target named '{name}'.", "name"));
        }

        if (Dns1123.ValidateLabel(@namespace) is { } nsError)
        {
            errors.Add(Error.Validation("namespace", $"The namespace {nsError}."));
        }

        if (defaultInstanceType is not null && Dns1123.ValidateSubdomain(defaultInstanceType.Trim()) is { } itError)
        {
            errors.Add(Error.Validation("defaultInstanceType", $"The default instance type {itError}."));
        }

        if (ValidateDescription(description) is { } descriptionError)
        {
            errors.Add(descriptionError);
        }

        if (quota?.Gpu is < 0)
        {
            errors.Add(Error.Validation("quotaGpu", "The GPU quota must be zero or more."));
        }

        if (errors.Count > 0)
        {
            return Result<ComputeTarget>.Failure(errors);
        }

        var target = new ComputeTarget(name!, clusterId, @namespace!, Normalize(description), now, defaultInstanceType, quota is { IsEmpty: false } ? quota : null, namespaceCreatedByStudio);
        _computeTargets.Add(target);
        return Result<ComputeTarget>.Ok(target);
    }

    public ComputeTarget? FindComputeTarget(string name) =>
        _computeTargets.FirstOrDefault(c => string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase));

    public Result DetachComputeTarget(string name)
    {
        var target = _computeTargets.FirstOrDefault(c => string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase));
        if (target is null)
        {
            return Result.Failure(Error.NotFound($"Workspace '{Name}' has no compute target named '{name}'."));
        }

        _computeTargets.Remove(target);
        return Result.Success();
    }

    /// <summary>
    /// Registers a version of a named environment. Without a version the next whole number after the highest numeric
    /// version is used (Azure ML's auto-increment); an existing (name, version) is refused — versions are immutable.
    /// The image must already have been checked by the caller's image rule (<paramref name="imageError"/>).
    /// </summary>
    public Result<WorkspaceEnvironment> RegisterEnvironment(string? name, string? version, string? image, string? imageError, string? description, string registeredBy, DateTimeOffset now)
    {
        var errors = new List<Error>();
        if (WorkspaceEnvironment.ValidateName(name) is { } nameError)
        {
            errors.Add(Error.Validation("name", nameError));
        }

        var trimmedVersion = string.IsNullOrWhiteSpace(version) ? null : version.Trim();
        if (trimmedVersion is not null && WorkspaceEnvironment.ValidateVersion(trimmedVersion) is { } versionError)
        {
            errors.Add(Error.Validation("version", versionError));
        }

        if (imageError is not null)
        {
            errors.Add(Error.Validation("image", imageError));
        }

        if (ValidateDescription(description) is { } descriptionError)
        {
            errors.Add(descriptionError);
        }

        if (errors.Count > 0)
        {
            return Result<WorkspaceEnvironment>.Failure(errors);
        }

        var versions = _environments.Where(e => string.Equals(e.Name, name, StringComparison.OrdinalIgnoreCase)).ToList();
        trimmedVersion ??= (versions.Select(e => long.TryParse(e.Version, out var n) ? n : 0).DefaultIfEmpty(0).Max() + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (versions.Any(e => string.Equals(e.Version, trimmedVersion, StringComparison.OrdinalIgnoreCase)))
        {
            return Error.Conflict("environment_version_exists", $"Environment '{name}' already has version {trimmedVersion}; versions are immutable — register a new version instead.", "version");
        }

        // Keep the first registration's spelling of the name so every version groups under one name.
        var canonicalName = versions.FirstOrDefault()?.Name ?? name!.Trim();
        var environment = new WorkspaceEnvironment(canonicalName, trimmedVersion, image!.Trim(), Normalize(description), now, registeredBy);
        _environments.Add(environment);
        return environment;
    }

    /// <summary>Removes one version of an environment (jobs already submitted keep their resolved image).</summary>
    public Result RemoveEnvironment(string name, string version)
    {
        var existing = _environments.FirstOrDefault(e => string.Equals(e.Name, name, StringComparison.OrdinalIgnoreCase) && string.Equals(e.Version, version, StringComparison.OrdinalIgnoreCase));
        if (existing is null)
        {
            return Result.Failure(Error.NotFound($"Workspace '{Name}' has no environment '{name}' version {version}."));
        }

        _environments.Remove(existing);
        return Result.Success();
    }

    /// <summary>
    /// Resolves <c>NAME</c>, <c>NAME@latest</c> or <c>NAME:VERSION</c> (optionally <c>azureml:</c>-prefixed) to a
    /// registered version: latest = the most recently registered. Null when the workspace has no such environment.
    /// </summary>
    public WorkspaceEnvironment? FindEnvironment(string? reference)
    {
        var parsed = WorkspaceEnvironment.ParseReference(reference);
        if (!parsed.IsSuccess)
        {
            return null;
        }

        var (name, version) = parsed.Value;
        var versions = _environments.Where(e => string.Equals(e.Name, name, StringComparison.OrdinalIgnoreCase));
        return version is null
            ? versions.OrderByDescending(e => e.RegisteredAt).ThenByDescending(e => long.TryParse(e.Version, out var n) ? n : 0).FirstOrDefault()
            : versions.FirstOrDefault(e => string.Equals(e.Version, version, StringComparison.OrdinalIgnoreCase));
    }

    private int AdministratorCount() => _members.Count(m => m.Role == WorkspaceRole.Administrator);

    private static string? Normalize(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
