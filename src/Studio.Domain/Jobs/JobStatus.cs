namespace Studio.Domain.Jobs;

/// <summary>
/// What the status mapping concluded from the cluster's objects: the state, a short reason code (Kubernetes' own where
/// there is one, e.g. <c>OOMKilled</c>), a plain sentence, and a one-line hint for what to do.
/// </summary>
public sealed record JobStatus(JobState State, string? Reason = null, string? Message = null, string? Hint = null);
