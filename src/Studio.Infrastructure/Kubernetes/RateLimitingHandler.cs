using System.Threading.RateLimiting;

namespace Studio.Infrastructure.Kubernetes;

/// <summary>A token bucket per cluster: the studio queues rather than floods an API server.</summary>
internal sealed class RateLimitingHandler(RateLimiter limiter) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using var lease = await limiter.AcquireAsync(1, cancellationToken);
        return await base.SendAsync(request, cancellationToken);
    }
}
