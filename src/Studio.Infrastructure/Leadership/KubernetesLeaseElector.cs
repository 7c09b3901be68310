using System.Net;
using k8s;
using k8s.Autorest;
using k8s.LeaderElection;
using k8s.LeaderElection.ResourceLock;
using Microsoft.Extensions.Logging;

namespace Studio.Infrastructure.Leadership;

/// <summary>
/// The leader holds a <c>coordination.k8s.io/v1</c> Lease (KubernetesClient's leader election): it renews it every
/// <see cref="LeadershipOptions.RetryPeriod"/>; a replica takes over once the Lease went unrenewed for
/// <see cref="LeadershipOptions.LeaseDuration"/>. At shutdown the leader deletes its Lease so that another replica
/// takes over on its next try instead of waiting for the Lease to expire.
/// </summary>
public sealed class KubernetesLeaseElector(IKubernetes client, string @namespace, LeadershipOptions options, ILogger<KubernetesLeaseElector> logger) : ILeaderElector
{
    public string Identity { get; } = options.ResolveIdentity();

    public string Mechanism => $"Kubernetes Lease {@namespace}/{options.LeaseName}";

    public async Task RunAsync(Action started, Action stopped, CancellationToken cancellationToken)
    {
        var leading = false;
        using var elector = new LeaderElector(new LeaderElectionConfig(new LeaseLock(client, @namespace, options.LeaseName, Identity))
        {
            LeaseDuration = options.LeaseDuration,
            RenewDeadline = options.RenewDeadline,
            RetryPeriod = options.RetryPeriod,
        });
        elector.OnStartedLeading += () =>
        {
            leading = true;
            started();
        };
        elector.OnStoppedLeading += () =>
        {
            leading = false;
            stopped();
        };
        elector.OnError += e => logger.LogDebug("Leader election through the Lease: {Problem}", e.Message);
        try
        {
            await elector.RunAndTryToHoldLeadershipForeverAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        finally
        {
            if (leading || elector.IsLeader())
            {
                await ReleaseAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>Deletes the Lease when this replica still holds it (a Lease without holder would block the others' create).</summary>
    private async Task ReleaseAsync()
    {
        using var timeout = new CancellationTokenSource(options.RenewDeadline);
        try
        {
            var lease = await client.CoordinationV1.ReadNamespacedLeaseAsync(options.LeaseName, @namespace, cancellationToken: timeout.Token).ConfigureAwait(false);
            if (lease.Spec?.HolderIdentity == Identity)
            {
                await client.CoordinationV1.DeleteNamespacedLeaseAsync(
                    options.LeaseName,
                    @namespace,
                    new k8s.Models.V1DeleteOptions { Preconditions = new k8s.Models.V1Preconditions { ResourceVersion = lease.Metadata.ResourceVersion } },
                    cancellationToken: timeout.Token).ConfigureAwait(false);
                logger.LogInformation("Released the leader Lease {Namespace}/{Lease}", @namespace, options.LeaseName);
            }
        }
        catch (HttpOperationException e) when (e.Response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Conflict)
        {
        }
        catch (Exception e) when (e is HttpOperationException or HttpRequestException or OperationCanceledException)
        {
            logger.LogWarning("Releasing the leader Lease failed ({Problem}); another replica takes over when it expires", e.Message);
        }
    }

    /// <summary>An elector on the cluster this process runs in, through its service account.</summary>
    public static KubernetesLeaseElector InCluster(LeadershipOptions options, ILogger<KubernetesLeaseElector> logger)
    {
        var configuration = KubernetesClientConfiguration.InClusterConfig();
        var ns = options.LeaseNamespace ?? configuration.Namespace ?? "default";
        return new KubernetesLeaseElector(new k8s.Kubernetes(configuration), ns, options, logger);
    }
}
