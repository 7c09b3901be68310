using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Studio.Web.Security;

namespace Studio.Web.Tests.Auth;

/// <summary><c>Studio:Auth:Mode=Entra</c>: Microsoft.Identity.Web options and app-role mapping, from configuration alone.</summary>
public sealed class EntraConfigurationTests : IAsyncLifetime
{
    private const string TenantId = "7f3c2a8e-4d1b-4c8e-9a6f-2b5d8e1c4a90";
    private const string ClientId = "0c9e4b1a-6f2d-4e8b-b3a7-5d1f9c2e8a64";
    private const string Audience = "api://studio-tests";

    private readonly AuthConfigurationFactory _factory = new(new Dictionary<string, string?>
    {
        ["Studio:Auth:Mode"] = "Entra",
        ["Studio:Auth:RoleMap:Studio.Admins"] = "Administrator",
        ["Studio:Auth:RoleMap:Studio.Scientists"] = "DataScientist",
        ["Studio:Auth:RoleMap:Studio.Readers"] = "Reader",
        ["AzureAd:Instance"] = "https://login.microsoftonline.com/",
        ["AzureAd:TenantId"] = TenantId,
        ["AzureAd:ClientId"] = ClientId,
        ["AzureAd:Audience"] = Audience,
        ["AzureAd:CallbackPath"] = "/signin-oidc",
    });

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => _factory.DisposeAsync();

    [Fact]
    public void EntraMode_OpenIdConnect_UsesTenantAuthorityAndClientId()
    {
        var options = _factory.Services.GetRequiredService<IOptionsMonitor<OpenIdConnectOptions>>().Get(OpenIdConnectDefaults.AuthenticationScheme);

        Assert.Equal($"https://login.microsoftonline.com/{TenantId}/v2.0", options.Authority);
        Assert.Equal(ClientId, options.ClientId);
        Assert.Equal(CookieAuthenticationDefaults.AuthenticationScheme, options.SignInScheme);
    }

    [Fact]
    public void EntraMode_JwtBearer_ValidatesTenantAuthorityAndConfiguredAudience()
    {
        var options = _factory.Services.GetRequiredService<IOptionsMonitor<JwtBearerOptions>>().Get(JwtBearerDefaults.AuthenticationScheme);

        Assert.Equal($"https://login.microsoftonline.com/{TenantId}/v2.0", options.Authority);
        var audiences = (options.TokenValidationParameters.ValidAudiences ?? []).Append(options.Audience).Append(options.TokenValidationParameters.ValidAudience);
        Assert.Contains(Audience, audiences);
    }

    [Fact]
    public async Task EntraMode_BrowserUsesCookieChallengedThroughOpenIdConnect_ApiUsesBearer()
    {
        var schemes = _factory.Services.GetRequiredService<IAuthenticationSchemeProvider>();
        var cookie = _factory.Services.GetRequiredService<IOptionsMonitor<CookieAuthenticationOptions>>().Get(CookieAuthenticationDefaults.AuthenticationScheme);

        Assert.Equal(AuthenticationSetup.SelectorScheme, (await schemes.GetDefaultAuthenticateSchemeAsync())?.Name);
        Assert.Equal(AuthenticationSetup.SelectorScheme, (await schemes.GetDefaultChallengeSchemeAsync())?.Name);
        Assert.NotNull(await schemes.GetSchemeAsync(JwtBearerDefaults.AuthenticationScheme));
        Assert.Equal("studio.auth", cookie.Cookie.Name);
        Assert.Equal(OpenIdConnectDefaults.AuthenticationScheme, cookie.ForwardChallenge);
    }

    [Fact]
    public async Task EntraMode_AppRoles_MapThroughRoleMap()
    {
        var principal = await TransformAsync(new Claim("roles", "Studio.Admins"), new Claim("roles", "Studio.Readers"));

        Assert.Equal([StudioRoles.Administrator, StudioRoles.Reader], StudioRolesOf(principal));
        Assert.True(principal.IsInRole(StudioRoles.Administrator));
    }

    [Fact]
    public async Task EntraMode_AppRolesMappedToClaimTypesRole_AlsoMapThroughRoleMap()
    {
        // With inbound claim mapping on, the token's "roles" arrive as ClaimTypes.Role.
        var principal = await TransformAsync(new Claim(ClaimTypes.Role, "Studio.Scientists"));

        Assert.Contains(StudioRoles.DataScientist, StudioRolesOf(principal));
    }

    [Fact]
    public async Task EntraMode_UnknownAppRoles_GiveNoStudioRole()
    {
        var principal = await TransformAsync(new Claim("roles", "Payroll.Approvers"), new Claim("roles", "Studio.Admin"));

        Assert.Empty(StudioRolesOf(principal));
        Assert.Null(StudioClaims.GlobalRole(principal));
    }

    [Fact]
    public async Task EntraMode_UserId_IsPreferredUsername()
    {
        var principal = await TransformAsync(new Claim("preferred_username", "ada@contoso.example"), new Claim("roles", "Studio.Readers"));

        Assert.Equal("ada@contoso.example", principal.FindFirst(StudioClaims.UserId)?.Value);
    }

    private async Task<ClaimsPrincipal> TransformAsync(params Claim[] claims)
    {
        using var scope = _factory.Services.CreateScope();
        var transformation = scope.ServiceProvider.GetRequiredService<IClaimsTransformation>();
        var principal = new ClaimsPrincipal(new ClaimsIdentity([new Claim("oid", "00000000-0000-0000-0000-000000000001"), .. claims], "AuthenticationTypes.Federation"));
        return await transformation.TransformAsync(principal);
    }

    private static string[] StudioRolesOf(ClaimsPrincipal principal) =>
        principal.FindAll(ClaimTypes.Role).Select(c => c.Value).Where(v => v is StudioRoles.Administrator or StudioRoles.DataScientist or StudioRoles.Reader).Order(StringComparer.Ordinal).ToArray();
}
