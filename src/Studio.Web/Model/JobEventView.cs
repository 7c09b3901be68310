namespace Studio.Web.Model;

/// <summary>A Kubernetes event about the job or one of its pods, as recorded.</summary>
public sealed record JobEventView(DateTimeOffset At, string Type, string Reason, string Message, string? Object, int Count = 1);
