using Studio.Domain.Workspaces;

namespace Studio.Web.Security;

/// <summary>Role claim values (<see cref="System.Security.Claims.ClaimTypes.Role"/>) the studio understands.</summary>
public static class StudioRoles
{
    public const string Administrator = nameof(WorkspaceRole.Administrator);
    public const string DataScientist = nameof(WorkspaceRole.DataScientist);
    public const string Reader = nameof(WorkspaceRole.Reader);
}
