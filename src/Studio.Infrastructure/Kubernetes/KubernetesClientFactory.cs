using System.Collections.Concurrent;
using System.Threading.RateLimiting;
using k8s;
using Microsoft.Extensions.Options;
using Studio.Domain.Common;

namespace Studio.Infrastructure.Kubernetes;

/// <summary>
/// The only place that builds <see cref="IKubernetes"/> clients: one per registered cluster, from its stored
/// credentials (or, for the cluster the studio runs in, its pod's service account), with a per-cluster rate limit and
/// transient retries. Rotating credentials evicts the cached client.
/// </summary>
public sealed class KubernetesClientFactory(ClusterCredentialStore credentials, InClusterAccess inCluster, IOptions<ClusterAccessOptions> options) : IDisposable
{
    private readonly ConcurrentDictionary<Guid, Lazy<Task<IKubernetes?>>> _clients = new();

    public async Task<Result<IKubernetes>> GetAsync(Guid clusterId, CancellationToken cancellationToken)
    {
        var lazy = _clients.GetOrAdd(clusterId, id => new Lazy<Task<IKubernetes?>>(() => CreateStoredAsync(id)));
        IKubernetes? client;
        try
        {
            client = await lazy.Value.WaitAsync(cancellationToken);
        }
        catch (InvalidOperationException e)
        {
            // In-cluster access that this replica cannot use (not in a pod, token not mounted): say why, try again next time.
            _clients.TryRemove(clusterId, out _);
            return Error.Validation("cluster", e.Message);
        }

        if (client is null)
        {
            _clients.TryRemove(clusterId, out _);
            return Error.NotFound("The cluster has no stored credentials; rotate its credentials to connect it again.");
        }

        return Result<IKubernetes>.Ok(client);
    }

    /// <summary>A client for a kubeconfig that is not stored (yet): the connection check before saving.</summary>
    public IKubernetes CreateUnregistered(string kubeconfigYaml) => Build(kubeconfigYaml, "unregistered");

    /// <summary>Forgets the cached client (credentials rotated, cluster removed).</summary>
    public void Evict(Guid clusterId)
    {
        if (_clients.TryRemove(clusterId, out var lazy) && lazy.IsValueCreated && lazy.Value.IsCompletedSuccessfully)
        {
            lazy.Value.Result?.Dispose();
        }
    }

    private async Task<IKubernetes?> CreateStoredAsync(Guid clusterId)
    {
        var yaml = await credentials.ReadAsync(clusterId, CancellationToken.None);
        if (yaml is not null)
        {
            return Build(KubeconfigDocument.ToClientConfiguration(yaml), clusterId.ToString("N"));
        }

        return await credentials.UsesOwnServiceAccountAsync(clusterId, CancellationToken.None)
            ? Build(inCluster.CreateConfiguration(), clusterId.ToString("N"))
            : null;
    }

    private k8s.Kubernetes Build(string kubeconfigYaml, string cluster) => Build(KubeconfigDocument.ToClientConfiguration(kubeconfigYaml), cluster);

    private k8s.Kubernetes Build(KubernetesClientConfiguration config, string cluster)
    {
        // Watches are long-lived; each request gets its own deadline from the caller instead.
        config.HttpClientTimeout = Timeout.InfiniteTimeSpan;
        var settings = options.Value;
        var limiter = new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
        {
            TokenLimit = Math.Max(1, settings.Burst),
            TokensPerPeriod = Math.Max(1, settings.RequestsPerSecond),
            ReplenishmentPeriod = TimeSpan.FromSeconds(1),
            QueueLimit = 10_000,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
            AutoReplenishment = true,
        });
        return new k8s.Kubernetes(config, new RequestMetricsHandler(cluster), new RateLimitingHandler(limiter), new TransientRetryHandler());
    }

    public void Dispose()
    {
        foreach (var id in _clients.Keys)
        {
            Evict(id);
        }
    }
}
