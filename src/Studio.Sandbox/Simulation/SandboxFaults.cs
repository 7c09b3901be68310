namespace Studio.Sandbox.Simulation;

/// <summary>
/// Fault modes of a sandbox cluster, set at start (<see cref="SandboxOptions.Faults"/>, <c>--faults JSON</c>) or at run time
/// through <c>PUT /sandbox/faults</c>. Property names are the JSON names in camelCase.
/// </summary>
public sealed class SandboxFaults
{
    /// <summary>Close every watch connection this many (real) seconds after it opened; null = never.</summary>
    public double? WatchCloseSeconds { get; set; }

    /// <summary>Answer every watch with an ERROR event carrying 410 Gone (the client must re-list).</summary>
    public bool WatchGone { get; set; }

    /// <summary>Fraction (0..1) of API requests answered with <see cref="ErrorCode"/>.</summary>
    public double ErrorRate { get; set; }

    /// <summary>500 (InternalError) or 429 (TooManyRequests, with Retry-After: 1).</summary>
    public int ErrorCode { get; set; } = 500;

    /// <summary>Added latency (real milliseconds) for every API request.</summary>
    public int LatencyMs { get; set; }

    /// <summary>Image references containing this text fail to pull (ErrImagePull, then ImagePullBackOff).</summary>
    public string? ImagePullFailure { get; set; }

    /// <summary>Nodes to report NotReady; their pods are evicted after the eviction timeout.</summary>
    public IList<string> NotReadyNodes { get; init; } = [];

    /// <summary>Simulated seconds a node stays NotReady before its pods are evicted (the default tolerationSeconds, 300).</summary>
    public double EvictionSeconds { get; set; } = 300;

    public SandboxFaults Clone() => new()
    {
        WatchCloseSeconds = WatchCloseSeconds,
        WatchGone = WatchGone,
        ErrorRate = ErrorRate,
        ErrorCode = ErrorCode,
        LatencyMs = LatencyMs,
        ImagePullFailure = ImagePullFailure,
        NotReadyNodes = [.. NotReadyNodes],
        EvictionSeconds = EvictionSeconds,
    };
}
