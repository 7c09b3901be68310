namespace Studio.Domain.Jobs;

/// <summary>The fit of a job's instances on a cluster: totals over matching nodes, per-pool answers, and why no node matched (when none did).</summary>
public sealed record JobFitResult(int MatchingNodes, int FitNow, int FitEmpty, IReadOnlyList<PoolFitResult> Pools, string? NoMatchReason)
{
    public bool FitsNow(int instances) => FitNow >= instances;

    public bool EverFits(int instances) => FitEmpty >= instances;
}
