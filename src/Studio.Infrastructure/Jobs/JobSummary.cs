using Studio.Domain.Jobs;

namespace Studio.Infrastructure.Jobs;

/// <summary>A row of the job list (and the payload of <see cref="JobService.JobChanged"/>).</summary>
public sealed record JobSummary(
    string Workspace,
    string Name,
    string? DisplayName,
    string? Experiment,
    string Compute,
    string InstanceType,
    int InstanceCount,
    DistributionKind Distribution,
    JobState State,
    string? Reason,
    string Submitter,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? EndedAt)
{
    /// <summary>Running time: from start (or creation) to end, or to <paramref name="now"/> while it runs.</summary>
    public TimeSpan? Duration(DateTimeOffset now) => StartedAt is { } start ? (EndedAt ?? now) - start : null;
}
