using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Studio.Infrastructure.Kubernetes;
using Studio.Infrastructure.Leadership;

namespace Studio.Infrastructure.Clusters;

/// <summary>
/// With <see cref="InClusterOptions.Register"/>: once this replica leads, registers the cluster the studio runs in (or
/// updates that registration) with <see cref="ClusterService.RegisterInClusterAsync"/>, retrying while the database or
/// the mounted service account is not ready. Every leader does it once; it is idempotent.
/// </summary>
public sealed class InClusterRegistration(
    ClusterService clusters,
    InClusterAccess access,
    ILeadership leadership,
    ILogger<InClusterRegistration> logger) : BackgroundService
{
    /// <summary>Wait between attempts that failed.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(10);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!access.Options.Register)
        {
            return;
        }

        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var term = await leadership.WaitForTermAsync(stoppingToken);
                using var both = CancellationTokenSource.CreateLinkedTokenSource(term, stoppingToken);
                if (await TryRegisterAsync(both.Token))
                {
                    return;
                }

                await Task.Delay(RetryDelay, both.Token).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task<bool> TryRegisterAsync(CancellationToken cancellationToken)
    {
        try
        {
            var registered = await clusters.RegisterInClusterAsync(access, cancellationToken);
            if (registered.IsSuccess)
            {
                logger.LogInformation("The cluster the studio runs in is registered as '{Cluster}' ({Server}), reached with the studio's service account", registered.Value.Name, registered.Value.Server);
                return true;
            }

            logger.LogWarning("Registering the cluster the studio runs in failed: {Problem}", registered.Errors[0].Message);
            // A name taken by another cluster does not change by waiting.
            return registered.Errors[0].Code == "cluster_exists";
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "Registering the cluster the studio runs in failed; trying again in {Delay}", RetryDelay);
            return false;
        }
    }
}
