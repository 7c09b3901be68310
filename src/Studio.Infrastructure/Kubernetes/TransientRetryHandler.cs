using System.Net;

namespace Studio.Infrastructure.Kubernetes;

/// <summary>
/// Retries idempotent requests — reads (GET, not watches) and server-side apply PATCHes (applying the same object again
/// converges on the same result) — on transient failures: 429, 408, 5xx, connection errors. Waits what the server's
/// Retry-After asks (bounded), else a jittered exponential backoff; gives up after <c>maxAttempts</c> and hands the last
/// answer to the caller, who decides what a failure that outlasted the retries means.
/// </summary>
internal sealed class TransientRetryHandler(int maxAttempts = 5) : DelegatingHandler
{
    /// <summary>The media type of a server-side apply patch.</summary>
    public const string ApplyPatchMediaType = "application/apply-patch+yaml";

    /// <summary>The longest wait a Retry-After header may ask for before the next attempt.</summary>
    internal static readonly TimeSpan MaxRetryAfter = TimeSpan.FromSeconds(10);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var retryable = IsIdempotent(request);
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

            var delay = Delay(response, attempt);
            response?.Dispose();
            await Task.Delay(delay, cancellationToken);
        }
    }

    /// <summary>Whether sending <paramref name="request"/> again cannot do anything the first one would not: a read, or a server-side apply.</summary>
    internal static bool IsIdempotent(HttpRequestMessage request) =>
        (request.Method == HttpMethod.Get && request.RequestUri?.Query.Contains("watch=true", StringComparison.Ordinal) != true)
        || (request.Method == HttpMethod.Patch && string.Equals(request.Content?.Headers.ContentType?.MediaType, ApplyPatchMediaType, StringComparison.OrdinalIgnoreCase));

    /// <summary>What the server's Retry-After asks (a delay or a date; at most <see cref="MaxRetryAfter"/>), else the backoff of the attempt.</summary>
    internal static TimeSpan Delay(HttpResponseMessage? response, int attempt, DateTimeOffset? now = null)
    {
        var asked = response?.Headers.RetryAfter switch
        {
            { Delta: { } delta } => delta,
            { Date: { } date } => date - (now ?? DateTimeOffset.UtcNow),
            _ => (TimeSpan?)null,
        };
        return asked is { } wait ? TimeSpan.FromTicks(Math.Clamp(wait.Ticks, 0, MaxRetryAfter.Ticks)) : Backoff(attempt);
    }

    internal static TimeSpan Backoff(int attempt) =>
        TimeSpan.FromMilliseconds((100 * Math.Pow(2, attempt - 1)) + Random.Shared.Next(0, 100));

    private static bool IsTransient(HttpStatusCode status) =>
        status is HttpStatusCode.TooManyRequests or HttpStatusCode.RequestTimeout or HttpStatusCode.InternalServerError or HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout;
}
