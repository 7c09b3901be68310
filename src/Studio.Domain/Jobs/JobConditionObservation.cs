namespace Studio.Domain.Jobs;

/// <summary>A condition of the Kubernetes Job (<c>Complete</c>, <c>Failed</c>, <c>SuccessCriteriaMet</c>, <c>FailureTarget</c>, <c>Suspended</c>).</summary>
public sealed record JobConditionObservation(string Type, bool Status, string? Reason = null, string? Message = null);
