using System.Security.Claims;
using Studio.Domain.Workspaces;

namespace Studio.Web.Security;

/// <summary>Turns a signed-in principal into the domain's <see cref="Actor"/>.</summary>
public static class StudioClaims
{
    public const string UserId = "studio:user";

    public static Actor ToActor(this ClaimsPrincipal user)
    {
        var id = user.FindFirst(UserId)?.Value ?? user.Identity?.Name ?? user.FindFirst(ClaimTypes.NameIdentifier)?.Value ?? "anonymous";
        var name = user.FindFirst("name")?.Value ?? user.Identity?.Name ?? id;
        return new Actor(id, name, GlobalRole(user));
    }

    public static WorkspaceRole? GlobalRole(ClaimsPrincipal user)
    {
        WorkspaceRole? best = null;
        foreach (var claim in user.FindAll(ClaimTypes.Role))
        {
            if (Enum.TryParse<WorkspaceRole>(claim.Value, ignoreCase: false, out var role) && (best is null || role > best))
            {
                best = role;
            }
        }

        return best;
    }
}
