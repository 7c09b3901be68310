namespace Studio.Domain.Endpoints;

/// <summary>
/// A liveness or readiness probe (§4.3) in seconds, with Azure ML's defaults: every 10 s after a 10 s delay, 2 s to answer,
/// ready after 1 success, restarted (or unready) after 30 failures.
/// </summary>
public sealed record ProbeSettings(int PeriodSeconds = 10, int InitialDelaySeconds = 10, int TimeoutSeconds = 2, int SuccessThreshold = 1, int FailureThreshold = 30)
{
    public static ProbeSettings Default { get; } = new();
}
