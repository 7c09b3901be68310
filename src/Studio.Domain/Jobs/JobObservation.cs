namespace Studio.Domain.Jobs;

/// <summary>
/// Everything the cluster says about one job at one moment: whether the Job object exists, its conditions and counts,
/// and its pods. The input of <see cref="JobStatusMapping.Map"/>.
/// </summary>
public sealed record JobObservation(
    bool Exists,
    IReadOnlyList<JobConditionObservation> Conditions,
    int Active,
    int Succeeded,
    int Failed,
    IReadOnlyList<PodObservation> Pods,
    int InstanceCount = 1)
{
    /// <summary>The Job object is gone (deleted, namespace removed, cluster unreachable for good).</summary>
    public static JobObservation Missing { get; } = new(false, [], 0, 0, 0, []);
}
