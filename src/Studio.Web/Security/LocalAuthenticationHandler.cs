using System.Net;
using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Studio.Web.Security;

/// <summary>
/// Local mode: every request that comes from loopback acts as the local administrator, for the browser and the API
/// alike. Requests from anywhere else are not authenticated.
/// </summary>
public sealed class LocalAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IOptions<AuthOptions> auth)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Local";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var remote = Context.Connection.RemoteIpAddress;
        var fromLoopback = remote is null || IPAddress.IsLoopback(remote);
        if (!fromLoopback && !auth.Value.AllowLocalModeOnNetwork)
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        var user = auth.Value.LocalUserName;
        var identity = new ClaimsIdentity(
            [
                new Claim(ClaimTypes.NameIdentifier, user),
                new Claim(ClaimTypes.Name, user),
                new Claim("name", "Local administrator"),
                new Claim(StudioClaims.UserId, user),
                new Claim(ClaimTypes.Role, StudioRoles.Administrator),
            ],
            SchemeName);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }
}
