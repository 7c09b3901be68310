using Studio.Domain.Common;

namespace Studio.Domain.Workspaces;

/// <summary>
/// Who may see and change a workspace: a workspace the actor has no role in does not exist for them (not found, so
/// its name does not leak); changes need the named role.
/// </summary>
public static class WorkspaceAccess
{
    /// <summary>Null when <paramref name="actor"/> has at least <paramref name="minimum"/> in the workspace, else the error to return.</summary>
    public static Error? Check(Actor actor, Workspace? workspace, string name, WorkspaceRole minimum, string? forbidden = null)
    {
        var role = workspace is null ? null : actor.RoleIn(workspace);
        if (role is null)
        {
            return Error.NotFound($"Workspace '{name}' was not found.");
        }

        return role >= minimum ? null : Error.Forbidden(forbidden ?? $"Only {minimum} members of workspace '{workspace!.Name}' can do this.");
    }
}
