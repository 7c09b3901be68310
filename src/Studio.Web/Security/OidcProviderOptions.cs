namespace Studio.Web.Security;

/// <summary><c>Studio:Auth:Oidc</c>: a generic OpenID Connect provider.</summary>
public sealed class OidcProviderOptions
{
    /// <summary>The issuer, e.g. <c>https://keycloak.example/realms/ml</c>.</summary>
    public string? Authority { get; set; }

    public string? ClientId { get; set; }

    public string? ClientSecret { get; set; }

    /// <summary>The audience bearer tokens for the API must carry; defaults to the client id.</summary>
    public string? Audience { get; set; }

    /// <summary>Only for development against a provider on http://localhost.</summary>
    public bool RequireHttpsMetadata { get; set; } = true;

    public string[] Scopes { get; set; } = ["openid", "profile", "email"];

    /// <summary>The claim used as the studio user id (e-mail or preferred_username are typical).</summary>
    public string UserIdClaim { get; set; } = "preferred_username";
}
