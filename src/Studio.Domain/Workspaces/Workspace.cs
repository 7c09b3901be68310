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

    private int AdministratorCount() => _members.Count(m => m.Role == WorkspaceRole.Administrator);

    private static string? Normalize(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
