namespace Studio.Web.Security;

/// <summary>How people sign in to the studio (<c>Studio:Auth:Mode</c>).</summary>
public enum SignInMode
{
    /// <summary>One local administrator; only allowed while the studio listens on loopback.</summary>
    Local,

    /// <summary>Microsoft Entra ID through Microsoft.Identity.Web (section <c>AzureAd</c>); app roles map to studio roles.</summary>
    Entra,

    /// <summary>Any OpenID Connect provider (Keycloak, Dex, ...), section <c>Studio:Auth:Oidc</c>.</summary>
    Oidc,
}
