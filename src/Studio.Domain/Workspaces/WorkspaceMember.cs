namespace Studio.Domain.Workspaces;

/// <summary>A person's membership of one workspace.</summary>
public sealed class WorkspaceMember
{
    private WorkspaceMember()
    {
        UserId = string.Empty;
        DisplayName = string.Empty;
    }

    internal WorkspaceMember(string userId, string displayName, WorkspaceRole role, DateTimeOffset addedAt)
    {
        UserId = userId;
        DisplayName = displayName;
        Role = role;
        AddedAt = addedAt;
    }

    /// <summary>The stable user identifier: the local user name, or the identity provider's user name / e-mail.</summary>
    public string UserId { get; private set; }

    public string DisplayName { get; private set; }

    public WorkspaceRole Role { get; internal set; }

    public DateTimeOffset AddedAt { get; private set; }
}
