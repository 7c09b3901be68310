using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Studio.Domain.Workspaces;
using Studio.E2E.Shared;
using Studio.Infrastructure.Workspaces;
using Studio.Web.Security;

namespace Studio.E2E.Jobs;

/// <summary>
/// The real studio (in-process Kestrel, fresh SQLite, the embedded sandbox at <see cref="Speed"/>) where every browser
/// request is the data scientist <see cref="UserId"/>: a member of the <c>default</c> workspace with the DataScientist
/// role and no global role — not the local administrator.
/// </summary>
public sealed class DataScientistStudio : WebApplicationFactory<Program>
{
    public const string UserId = "dana";
    private const string SchemeName = "E2EUser";
    private readonly string _dataFolder = Path.Combine(Path.GetTempPath(), "studio-e2e-ds-" + Guid.NewGuid().ToString("N")[..8]);

    public DataScientistStudio(double speed = 20)
    {
        Speed = speed;
        UseKestrel(0);
        StartServer();
        BaseUrl = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var admin = new Actor("admin", "Local administrator", WorkspaceRole.Administrator);
        var member = Services.GetRequiredService<WorkspaceService>().SetMemberAsync(admin, "default", UserId, "Dana Scientist", WorkspaceRole.DataScientist, CancellationToken.None).GetAwaiter().GetResult();
        if (!member.IsSuccess)
        {
            throw new InvalidOperationException($"Could not make {UserId} a data scientist: {member.Errors[0].Message}");
        }
    }

    public double Speed { get; }

    public string BaseUrl { get; }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Studio:DataFolder", _dataFolder);
        builder.UseQuietLogging();
        builder.UseSetting("Studio:Sandbox:Speed", Speed.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.ConfigureTestServices(services =>
            services.AddAuthentication(o =>
                {
                    o.DefaultScheme = SchemeName;
                    o.DefaultAuthenticateScheme = SchemeName;
                    o.DefaultChallengeScheme = SchemeName;
                })
                .AddScheme<AuthenticationSchemeOptions, DataScientistHandler>(SchemeName, null));
    }

    private sealed class DataScientistHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
        : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
    {
        protected override Task<AuthenticateResult> HandleAuthenticateAsync()
        {
            Claim[] claims = [new(ClaimTypes.Name, UserId), new("name", "Dana Scientist"), new(StudioClaims.UserId, UserId)];
            return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName)), SchemeName)));
        }
    }
}
