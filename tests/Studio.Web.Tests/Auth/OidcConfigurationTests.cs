using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Studio.Web.Tests.Auth;

/// <summary><c>Studio:Auth:Mode=Oidc</c>: what configuration turns into, and what a broken configuration does at startup.</summary>
public sealed class OidcConfigurationTests
{
    [Fact]
    public async Task OidcMode_WithoutAuthority_FailsAtStartupNamingTheSetting()
    {
        await using var factory = new AuthConfigurationFactory(new Dictionary<string, string?>
        {
            ["Studio:Auth:Mode"] = "Oidc",
            ["Studio:Auth:Oidc:ClientId"] = "studio",
        });

        var error = Assert.ThrowsAny<Exception>(() => factory.Services);

        var invalid = Assert.IsType<InvalidOperationException>(error.GetBaseException());
        Assert.Contains("Studio:Auth:Oidc:Authority", invalid.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OidcMode_WithoutClientId_FailsAtStartupNamingTheSetting()
    {
        await using var factory = new AuthConfigurationFactory(new Dictionary<string, string?>
        {
            ["Studio:Auth:Mode"] = "Oidc",
            ["Studio:Auth:Oidc:Authority"] = "https://idp.example/realms/ml",
        });

        var error = Assert.ThrowsAny<Exception>(() => factory.Services);

        var invalid = Assert.IsType<InvalidOperationException>(error.GetBaseException());
        Assert.Contains("Studio:Auth:Oidc:ClientId", invalid.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OidcMode_UsesCodeFlowWithPkceAndBearerAudience()
    {
        await using var factory = new AuthConfigurationFactory(new Dictionary<string, string?>
        {
            ["Studio:Auth:Mode"] = "Oidc",
            ["Studio:Auth:Oidc:Authority"] = "https://idp.example/realms/ml",
            ["Studio:Auth:Oidc:ClientId"] = "studio",
            ["Studio:Auth:Oidc:ClientSecret"] = "s3cret",
            ["Studio:Auth:Oidc:Audience"] = "studio-api",
        });

        var oidc = factory.Services.GetRequiredService<IOptionsMonitor<OpenIdConnectOptions>>().Get(OpenIdConnectDefaults.AuthenticationScheme);
        var bearer = factory.Services.GetRequiredService<IOptionsMonitor<JwtBearerOptions>>().Get(JwtBearerDefaults.AuthenticationScheme);

        Assert.Equal("https://idp.example/realms/ml", oidc.Authority);
        Assert.Equal("studio", oidc.ClientId);
        Assert.Equal("code", oidc.ResponseType);
        Assert.True(oidc.UsePkce);
        Assert.True(oidc.RequireHttpsMetadata);
        Assert.Equal(["email", "openid", "profile"], oidc.Scope.Order(StringComparer.Ordinal));
        Assert.Equal("https://idp.example/realms/ml", bearer.Authority);
        Assert.Equal("studio-api", bearer.Audience);
        Assert.Equal("roles", bearer.TokenValidationParameters.RoleClaimType);
    }
}
