using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.Identity.Web;
using Microsoft.IdentityModel.Tokens;

namespace Studio.Web.Security;

/// <summary>Wires the configured sign-in mode: Local, Entra (Microsoft.Identity.Web) or generic OIDC.</summary>
public static class AuthenticationSetup
{
    /// <summary>Browser requests use the cookie (challenging through OIDC); requests with a bearer token use JWT.</summary>
    public const string SelectorScheme = "Studio";

    public static AuthOptions AddStudioAuthentication(this WebApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection(AuthOptions.SectionName);
        var options = section.Get<AuthOptions>() ?? new AuthOptions();
        builder.Services.Configure<AuthOptions>(section);
        builder.Services.AddTransient<IClaimsTransformation, RoleClaimsTransformation>();
        builder.Services.AddAuthorization(Policies.Configure);
        builder.Services.AddCascadingAuthenticationState();

        switch (options.Mode)
        {
            case SignInMode.Local:
                builder.Services.AddAuthentication(LocalAuthenticationHandler.SchemeName)
                    .AddScheme<AuthenticationSchemeOptions, LocalAuthenticationHandler>(LocalAuthenticationHandler.SchemeName, null);
                break;
            case SignInMode.Oidc:
                AddOidc(builder, options);
                break;
            case SignInMode.Entra:
                AddEntra(builder);
                break;
            default:
                throw new InvalidOperationException($"Unknown Studio:Auth:Mode '{options.Mode}'. Use Local, Entra or Oidc.");
        }

        return options;
    }

    private static void AddOidc(WebApplicationBuilder builder, AuthOptions options)
    {
        var oidc = options.Oidc;
        if (string.IsNullOrWhiteSpace(oidc.Authority) || string.IsNullOrWhiteSpace(oidc.ClientId))
        {
            throw new InvalidOperationException("Studio:Auth:Mode is Oidc but Studio:Auth:Oidc:Authority or Studio:Auth:Oidc:ClientId is empty.");
        }

        builder.Services.AddAuthentication(o =>
            {
                o.DefaultScheme = SelectorScheme;
                o.DefaultChallengeScheme = SelectorScheme;
            })
            .AddPolicyScheme(SelectorScheme, "Cookie or bearer", o => o.ForwardDefaultSelector = SelectScheme)
            .AddCookie(CookieAuthenticationDefaults.AuthenticationScheme, o =>
            {
                o.Cookie.Name = "studio.auth";
                o.Cookie.SameSite = SameSiteMode.Lax;
                o.Cookie.HttpOnly = true;
                o.AccessDeniedPath = "/access-denied";
                o.ForwardChallenge = OpenIdConnectDefaults.AuthenticationScheme;
            })
            .AddOpenIdConnect(OpenIdConnectDefaults.AuthenticationScheme, o =>
            {
                o.Authority = oidc.Authority;
                o.ClientId = oidc.ClientId;
                o.ClientSecret = oidc.ClientSecret;
                o.RequireHttpsMetadata = oidc.RequireHttpsMetadata;
                o.ResponseType = "code";
                o.UsePkce = true;
                o.SaveTokens = false;
                o.GetClaimsFromUserInfoEndpoint = true;
                o.MapInboundClaims = false;
                o.SignInScheme = CookieAuthenticationDefaults.AuthenticationScheme;
                o.Scope.Clear();
                foreach (var scope in oidc.Scopes)
                {
                    o.Scope.Add(scope);
                }

                o.ClaimActions.MapJsonKey(options.RoleClaim, options.RoleClaim);
                o.TokenValidationParameters = new TokenValidationParameters { NameClaimType = oidc.UserIdClaim, RoleClaimType = options.RoleClaim };
                o.Events.OnRedirectToIdentityProvider = NoRedirectForApi;
                // Tokens are not saved, so sign-out has no id_token_hint; without client_id, providers (Keycloak,
                // node oidc-provider) ignore post_logout_redirect_uri and the user never returns to the studio.
                o.Events.OnRedirectToIdentityProviderForSignOut = context =>
                {
                    context.ProtocolMessage.ClientId ??= context.Options.ClientId;
                    return Task.CompletedTask;
                };
            })
            .AddJwtBearer(JwtBearerDefaults.AuthenticationScheme, o =>
            {
                o.Authority = oidc.Authority;
                o.Audience = oidc.Audience ?? oidc.ClientId;
                o.RequireHttpsMetadata = oidc.RequireHttpsMetadata;
                o.MapInboundClaims = false;
                o.TokenValidationParameters = new TokenValidationParameters { NameClaimType = oidc.UserIdClaim, RoleClaimType = options.RoleClaim };
            });
    }

    private static void AddEntra(WebApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection("AzureAd");
        builder.Services.AddAuthentication(o =>
            {
                o.DefaultScheme = SelectorScheme;
                o.DefaultChallengeScheme = SelectorScheme;
            })
            .AddPolicyScheme(SelectorScheme, "Cookie or bearer", o => o.ForwardDefaultSelector = SelectScheme);
        builder.Services.AddAuthentication()
            .AddMicrosoftIdentityWebApp(section, OpenIdConnectDefaults.AuthenticationScheme, CookieAuthenticationDefaults.AuthenticationScheme);
        builder.Services.AddAuthentication()
            .AddMicrosoftIdentityWebApi(section, JwtBearerDefaults.AuthenticationScheme);
        builder.Services.Configure<CookieAuthenticationOptions>(CookieAuthenticationDefaults.AuthenticationScheme, o =>
        {
            o.Cookie.Name = "studio.auth";
            o.AccessDeniedPath = "/access-denied";
            o.ForwardChallenge = OpenIdConnectDefaults.AuthenticationScheme;
        });
        builder.Services.Configure<OpenIdConnectOptions>(OpenIdConnectDefaults.AuthenticationScheme, o =>
        {
            var previous = o.Events.OnRedirectToIdentityProvider;
            o.Events.OnRedirectToIdentityProvider = async context =>
            {
                await NoRedirectForApi(context);
                if (!context.Handled)
                {
                    await previous(context);
                }
            };
        });
    }

    private static string SelectScheme(HttpContext context)
    {
        var authorization = context.Request.Headers.Authorization.ToString();
        return authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
            || (IsApi(context.Request) && !context.Request.Cookies.ContainsKey("studio.auth"))
            ? JwtBearerDefaults.AuthenticationScheme
            : CookieAuthenticationDefaults.AuthenticationScheme;
    }

    /// <summary>API and hub callers get 401 instead of a redirect to the identity provider.</summary>
    private static Task NoRedirectForApi(RedirectContext context)
    {
        if (IsApi(context.Request))
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            context.HandleResponse();
        }

        return Task.CompletedTask;
    }

    private static bool IsApi(HttpRequest request) =>
        request.Path.StartsWithSegments("/api") || request.Path.StartsWithSegments("/hubs") || request.Path.StartsWithSegments("/openapi");
}
