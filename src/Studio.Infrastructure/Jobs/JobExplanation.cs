namespace Studio.Infrastructure.Jobs;

/// <summary>
/// The pending or failure explainer: a title ("Waiting for 2 GPUs"), the detail in plain words, a one-line hint, per-pool
/// sentences for a queued job ("needs 4 GPUs per pod; largest free block is 2 on gpu-a100-0"), how many jobs are ahead in
/// the queue, and what would fit now (fewer instances, another instance type).
/// </summary>
public sealed record JobExplanation(
    ExplanationKind Kind,
    string Title,
    string Detail,
    string? Hint,
    IReadOnlyList<string> Pools,
    int? JobsAhead,
    IReadOnlyList<string> WouldFitNow);
