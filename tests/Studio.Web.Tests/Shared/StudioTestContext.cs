using System.Security.Claims;
using Bunit;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using MudBlazor.Services;
using Studio.Infrastructure.Persistence;
using Studio.Web.Model;
using Studio.Web.Security;

namespace Studio.Web.Tests.Shared;

/// <summary>
/// bUnit context with MudBlazor, the studio's real authorization policies, and the real persistence on a fresh
/// SQLite database, signed in as <see cref="SignIn"/> chooses.
/// </summary>
public abstract class StudioTestContext : BunitContext, IAsyncLifetime
{
    private readonly TestAuthenticationStateProvider _auth = new();
    private readonly string _dataFolder = Path.Combine(Path.GetTempPath(), "studio-bunit-" + Guid.NewGuid().ToString("N")[..8]);

    protected StudioTestContext()
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        DefaultWaitTimeout = TimeSpan.FromSeconds(10);
        Services.AddMudServices();
        Services.AddSingleton<Studio.Web.Components.Layout.ThemeCss>();
        Services.AddSingleton<Studio.Web.Components.Controls.ChartMarkup>();
        Services.AddAuthorizationCore(Policies.Configure);
        // The real policy evaluation, not bUnit's placeholder: tests check what each role sees.
        Services.Replace(ServiceDescriptor.Transient<IAuthorizationService, DefaultAuthorizationService>());
        Services.AddSingleton<AuthenticationStateProvider>(_auth);
        Services.AddCascadingAuthenticationState();
        Services.AddStudioPersistence(new DatabaseOptions { Provider = DatabaseProvider.Sqlite }, _dataFolder);
        Services.AddScoped<UserPreferences>();
        Services.AddScoped<WorkspaceCatalog>();
        Services.AddStudioKubernetes(new ConfigurationBuilder().Build());
        Services.AddStudioLive(new ConfigurationBuilder().Build());
        Services.AddTransient<LiveInstanceTypes>();
        Services.AddLogging();
    }

    public async ValueTask InitializeAsync() =>
        await Services.GetRequiredService<DatabaseMigrator>().MigrateAsync(CancellationToken.None);

    /// <summary>Signs in as <paramref name="userId"/> with the given global studio roles.</summary>
    protected void SignIn(string userId, params string[] roles)
    {
        var claims = new List<Claim> { new(ClaimTypes.Name, userId), new(StudioClaims.UserId, userId) };
        claims.AddRange(roles.Select(r => new Claim(ClaimTypes.Role, r)));
        _auth.User = new ClaimsPrincipal(new ClaimsIdentity(claims, "test"));
    }

    private sealed class TestAuthenticationStateProvider : AuthenticationStateProvider
    {
        public ClaimsPrincipal User { get; set; } = new(new ClaimsIdentity());

        public override Task<AuthenticationState> GetAuthenticationStateAsync() => Task.FromResult(new AuthenticationState(User));
    }
}
