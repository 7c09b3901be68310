using System.Net;

namespace Studio.Infrastructure.Kubernetes;

/// <summary>
/// Retries idempotent reads (GET, not watches) on transient failures — 429, 5xx, connection errors — with jittered
/// exponential backoff, honouring Retry-After.
/// </summary>
internal sealed class TransientRetryHandler(int maxAttempts = 4) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var retryable = request.Method == HttpMethod.Get && request.RequestUri?.Query.Contains("watch=true", StringComparison.Ordinal) != true;
        for (var attempt = 1; ; attempt++)
        {
            HttpResponseMessage? response = null;
            try
            {
                response = await base.SendAsync(request, cancellationToken);
                if (!retryable || attempt >= maxAttempts || !IsTransient(response.StatusCode))
                {
                    return response;
                }
            }
            catch (HttpRequestException) when (retryable && attempt < maxAttempts && !cancellationToken.IsCancellationRequested)
            {
            }

            var delay = response?.Headers.RetryAfter?.Delta ?? Backoff(attempt);
            response?.Dispose();
            await Task.Delay(delay, cancellationToken);
        }
    }

    internal static TimeSpan Backoff(int attempt) =>
        TimeSpan.FromMilliseconds((100 * Math.Pow(2, attempt - 1)) + Random.Shared.Next(0, 100));

    private static bool IsTransient(HttpStatusCode status) =>
        status is HttpStatusCode.TooManyRequests or HttpStatusCode.InternalServerError or HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout;
}
