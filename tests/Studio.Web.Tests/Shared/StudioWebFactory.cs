using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Studio.Web.Security;

namespace Studio.Web.Tests.Shared;

/// <summary>
/// The real studio on a TestServer with its own SQLite database. With <see cref="AsUser"/> requests authenticate
/// through a header-driven test scheme instead of Local mode, so tests can act as any role.
/// </summary>
public sealed class StudioWebFactory : WebApplicationFactory<Program>
{
    public const string TestScheme = "Test";
    private readonly string _dataFolder = Path.Combine(Path.GetTempPath(), "studio-web-" + Guid.NewGuid().ToString("N")[..8]);

    public bool UseTestAuthentication { get; init; } = true;

    /// <summary>Hosts the embedded sandbox cluster, as <c>dotnet run</c> does. <remarks>Defaults to false (faster).</remarks></summary>
    public bool SandboxEnabled { get; init; }

    /// <summary>The embedded sandbox's simulation speed (10 = ten times faster). <remarks>Defaults to 1.</remarks></summary>
    public double SandboxSpeed { get; init; } = 1;

    /// <summary>The host environment. <remarks>Defaults to Development, as WebApplicationFactory does.</remarks></summary>
    public string Environment { get; init; } = "Development";

    /// <summary>Extra configuration (e.g. <c>Studio:SignalR:Redis</c>).</summary>
    public IReadOnlyDictionary<string, string?> Settings { get; init; } = new Dictionary<string, string?>();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseQuietLogging();
        builder.UseEnvironment(Environment);
        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }

        builder.UseSetting("Studio:DataFolder", _dataFolder);
        builder.UseSetting("Studio:Sandbox:Enabled", SandboxEnabled ? "true" : "false");
        builder.UseSetting("Studio:Sandbox:Speed", SandboxSpeed.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (UseTestAuthentication)
        {
            builder.ConfigureTestServices(services =>
                services.AddAuthentication(o =>
                    {
                        o.DefaultScheme = TestScheme;
                        o.DefaultAuthenticateScheme = TestScheme;
                        o.DefaultChallengeScheme = TestScheme;
                    })
                    .AddScheme<AuthenticationSchemeOptions, HeaderAuthenticationHandler>(TestScheme, null));
        }
    }

    /// <summary>A client whose requests act as <paramref name="userId"/> with the given global roles (none: anonymous).</summary>
    public HttpClient AsUser(string? userId, params string[] roles)
    {
        var client = CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        if (userId is not null)
        {
            client.DefaultRequestHeaders.Add("X-Test-User", userId);
            client.DefaultRequestHeaders.Add("X-Test-Roles", string.Join(',', roles));
        }

        return client;
    }

    private sealed class HeaderAuthenticationHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
        : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
    {
        protected override Task<AuthenticateResult> HandleAuthenticateAsync()
        {
            if (!Request.Headers.TryGetValue("X-Test-User", out var user))
            {
                return Task.FromResult(AuthenticateResult.NoResult());
            }

            var claims = new List<Claim> { new(ClaimTypes.Name, user!), new(StudioClaims.UserId, user!) };
            claims.AddRange(Request.Headers["X-Test-Roles"].ToString().Split(',', StringSplitOptions.RemoveEmptyEntries).Select(r => new Claim(ClaimTypes.Role, r)));
            return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(new ClaimsIdentity(claims, TestScheme)), TestScheme)));
        }
    }
}
