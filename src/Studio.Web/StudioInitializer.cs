using Microsoft.Extensions.Options;
using Studio.Infrastructure.Persistence;
using Studio.Infrastructure.Workspaces;
using Studio.Web.Security;

namespace Studio.Web;

/// <summary>Before the server listens: migrates the database and seeds the default workspace.</summary>
public sealed class StudioInitializer(
    DatabaseMigrator migrator,
    WorkspaceService workspaces,
    IOptions<StudioOptions> studio,
    IOptions<AuthOptions> auth) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await migrator.MigrateAsync(cancellationToken);
        var owner = auth.Value.Mode == SignInMode.Local ? auth.Value.LocalUserName : "system";
        await workspaces.EnsureExistsAsync(studio.Value.DefaultWorkspace, owner, owner == "system" ? "System" : "Local administrator", cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
