namespace Studio.Infrastructure.Jobs;

/// <summary>A Kubernetes event about the job or one of its pods (kept in the record so it outlives the cluster's event TTL).</summary>
public sealed record JobEventView(DateTimeOffset At, string Type, string Reason, string Message, string Object, int Count);
