namespace Studio.Web.Security;

/// <summary><c>Studio:Auth</c>: sign-in mode and how identity-provider roles map to studio roles.</summary>
public sealed class AuthOptions
{
    public const string SectionName = "Studio:Auth";

    public SignInMode Mode { get; set; } = SignInMode.Local;

    /// <summary>Allows Local mode on a non-loopback address. Anyone who can reach the port becomes administrator.</summary>
    public bool AllowLocalModeOnNetwork { get; set; }

    /// <summary>The local administrator's user name in Local mode.</summary>
    public string LocalUserName { get; set; } = "admin";

    /// <summary>The claim that carries the user's roles (<c>roles</c> for Entra app roles and most OIDC providers).</summary>
    public string RoleClaim { get; set; } = "roles";

    /// <summary>
    /// Maps identity-provider role values to studio roles (<c>Administrator</c>, <c>DataScientist</c>, <c>Reader</c>).
    /// A value that is already a studio role name maps to itself.
    /// </summary>
    public Dictionary<string, string> RoleMap { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    public OidcProviderOptions Oidc { get; set; } = new();
}
