using Microsoft.Extensions.Options;
using Studio.Infrastructure.Clusters;
using Studio.Infrastructure.Compute;
using Studio.Infrastructure.Kubernetes.Inventory;
using Studio.Sandbox.Hosting;
using Studio.Infrastructure.Workspaces;
using Studio.Web.Security;

namespace Studio.Web;

/// <summary>Before the server listens (after migrations): seeds the default workspace and registers the embedded sandbox.</summary>
public sealed class StudioInitializer(
    WorkspaceService workspaces,
    ClusterService clusters,
    ComputeService computes,
    IServiceProvider services,
    IOptions<StudioOptions> studio,
    IOptions<SandboxSettings> sandbox,
    IOptions<AuthOptions> auth,
    InventoryRegistry inventories,
    IHostApplicationLifetime lifetime,
    ILogger<StudioInitializer> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        // Stop watching clusters before hosted services (the embedded sandbox among them) stop.
        lifetime.ApplicationStopping.Register(() => inventories.StopAllAsync().Wait(TimeSpan.FromSeconds(5)));

        var owner = auth.Value.Mode == SignInMode.Local ? auth.Value.LocalUserName : "system";
        await workspaces.EnsureExistsAsync(studio.Value.DefaultWorkspace, owner, owner == "system" ? "System" : "Local administrator", cancellationToken);

        // The embedded sandbox gets a new loopback port on every start: register it, or point its registration at the new port.
        if (services.GetService<SandboxHost>() is { } host)
        {
            var server = await host.Ready.WaitAsync(cancellationToken);
            var address = server.BaseAddress.ToString().TrimEnd('/');
            var registered = await clusters.RegisterSandboxAsync(sandbox.Value.ClusterName, server.CreateKubeconfigYaml(sandbox.Value.ClusterName), cancellationToken);
            if (!registered.IsSuccess)
            {
                throw new InvalidOperationException($"The sandbox cluster could not be registered: {registered.Errors[0].Message}");
            }

            logger.LogInformation("Sandbox cluster '{Cluster}' is serving the Kubernetes API at {Address}", sandbox.Value.ClusterName, address);

            // The extension and compute target 'local-sandbox' in the default workspace, so a newcomer can run a job at once.
            // Re-applied on every start (the sandbox starts empty); never re-created once a user detached it.
            var seeded = await computes.EnsureEmbeddedDefaultAsync(sandbox.Value.ClusterName, studio.Value.DefaultWorkspace, EmbeddedComputeName, EmbeddedComputeNamespace, cancellationToken);
            if (!seeded.IsSuccess)
            {
                logger.LogWarning("The embedded compute target '{Compute}' could not be set up: {Problem}", EmbeddedComputeName, seeded.Errors[0].Message);
            }
        }
    }

    /// <summary>The embedded default compute target's name and namespace.</summary>
    public const string EmbeddedComputeName = "local-sandbox";

    public const string EmbeddedComputeNamespace = "studio-local";

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
