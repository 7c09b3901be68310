namespace Studio.Domain.Endpoints;

/// <summary>
/// <c>request_settings</c> with Azure ML's defaults (§4.3): a request times out after 5 s, one request at a time per
/// replica (Azure ML says not to change it), and a request waits at most 500 ms in the queue.
/// </summary>
public sealed record RequestSettings(int RequestTimeoutMs = 5000, int MaxConcurrentRequestsPerInstance = 1, int MaxQueueWaitMs = 500)
{
    /// <summary>The longest request timeout Studio accepts (Azure ML's probe conversion fails above 150 s, azure-sdk-for-python#33660).</summary>
    public const int MaxRequestTimeoutMs = 150_000;

    public static RequestSettings Default { get; } = new();
}
