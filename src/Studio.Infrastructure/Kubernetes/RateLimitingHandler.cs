using System.Threading.RateLimiting;

namespace Studio.Infrastructure.Kubernetes;

/// <summary>
/// A token bucket per cluster: the studio queues rather than floods an API server. The next pages of an admitted
/// paged LIST (a <c>continue</c> token) are part of that one read and are not charged again.
/// </summary>
internal sealed class RateLimitingHandler(RateLimiter limiter) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (IsListContinuation(request.RequestUri))
        {
            return await base.SendAsync(request, cancellationToken);
        }

        using var lease = await limiter.AcquireAsync(1, cancellationToken);
        return await base.SendAsync(request, cancellationToken);
    }

    internal static bool IsListContinuation(Uri? uri) =>
        uri?.Query is { Length: > 0 } query && query.TrimStart('?').Split('&').Any(p => p.StartsWith("continue=", StringComparison.Ordinal) && p.Length > "continue=".Length);
}
