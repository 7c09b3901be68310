using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Studio.Domain.Workspaces;

namespace Studio.Web.Security;

/// <summary>
/// Maps the identity provider's role claim (Entra app roles, Keycloak/Dex groups, ...) to studio role claims and
/// sets the studio user id, once per principal.
/// </summary>
public sealed class RoleClaimsTransformation(IOptions<AuthOptions> options) : IClaimsTransformation
{
    private const string MarkerType = "studio:mapped";

    public Task<ClaimsPrincipal> TransformAsync(ClaimsPrincipal principal)
    {
        if (principal.Identity is not ClaimsIdentity { IsAuthenticated: true } identity || principal.HasClaim(c => c.Type == MarkerType))
        {
            return Task.FromResult(principal);
        }

        var settings = options.Value;
        var mapped = new ClaimsIdentity();
        mapped.AddClaim(new Claim(MarkerType, "1"));
        foreach (var role in MapRoles(principal, settings).Distinct())
        {
            if (!principal.IsInRole(role))
            {
                mapped.AddClaim(new Claim(ClaimTypes.Role, role));
            }
        }

        if (!principal.HasClaim(c => c.Type == StudioClaims.UserId))
        {
            var userId = principal.FindFirst(settings.Oidc.UserIdClaim)?.Value
                ?? principal.FindFirst("preferred_username")?.Value
                ?? principal.FindFirst(ClaimTypes.Email)?.Value
                ?? principal.FindFirst("email")?.Value
                ?? principal.FindFirst(ClaimTypes.NameIdentifier)?.Value
                ?? principal.FindFirst("sub")?.Value
                ?? identity.Name;
            if (userId is not null)
            {
                mapped.AddClaim(new Claim(StudioClaims.UserId, userId));
            }
        }

        principal.AddIdentity(mapped);
        return Task.FromResult(principal);
    }

    /// <summary>Studio role names for the provider's role values; unknown values are ignored.</summary>
    public static IEnumerable<string> MapRoles(ClaimsPrincipal principal, AuthOptions settings)
    {
        var values = principal.FindAll(settings.RoleClaim).Select(c => c.Value);
        if (settings.RoleClaim != ClaimTypes.Role)
        {
            values = values.Concat(principal.FindAll(ClaimTypes.Role).Select(c => c.Value));
        }

        foreach (var value in values)
        {
            var target = settings.RoleMap.TryGetValue(value, out var m) ? m : value;
            if (Enum.TryParse<WorkspaceRole>(target, ignoreCase: true, out var role) && Enum.IsDefined(role))
            {
                yield return role.ToString();
            }
        }
    }
}
