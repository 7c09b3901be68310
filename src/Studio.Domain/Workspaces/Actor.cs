namespace Studio.Domain.Workspaces;

/// <summary>
/// The person acting. <see cref="GlobalRole"/> comes from the identity provider (or local mode) and applies in every
/// workspace; membership adds per-workspace roles on top of it.
/// </summary>
public sealed record Actor(string UserId, string DisplayName, WorkspaceRole? GlobalRole)
{
    public bool IsAdministrator => GlobalRole == WorkspaceRole.Administrator;

    /// <summary>The role in <paramref name="workspace"/>: the higher of the global role and the membership, or null for none.</summary>
    public WorkspaceRole? RoleIn(Workspace workspace)
    {
        var member = workspace.RoleOf(UserId);
        return (GlobalRole, member) switch
        {
            (null, null) => null,
            (null, { } m) => m,
            ({ } g, null) => g,
            ({ } g, { } m) => g > m ? g : m,
        };
    }
}
