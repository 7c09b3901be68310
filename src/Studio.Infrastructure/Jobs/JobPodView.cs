namespace Studio.Infrastructure.Jobs;

/// <summary>
/// A pod of a job by rank and role (<c>worker</c>, <c>master</c>, <c>launcher</c>, <c>ps</c>): phase, node, restarts, the reason
/// that matters (<c>OOMKilled</c>, <c>ImagePullBackOff</c>, <c>Unschedulable</c>...), when it started and ended, and whether
/// a log tail was kept (so logs can be read after the pod is gone).
/// </summary>
public sealed record JobPodView(
    string Name,
    int Rank,
    string Role,
    string Phase,
    string? Node,
    int Restarts,
    string? Reason,
    string? Message,
    int? ExitCode,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    bool Live,
    bool HasLogTail);
