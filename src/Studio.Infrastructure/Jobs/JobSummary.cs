using Studio.Domain.Jobs;

namespace Studio.Infrastructure.Jobs;

/// <summary>A row of the job list (<see cref="From"/> builds it from a <see cref="JobStatusChanged"/>, as the live job feed does).</summary>
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
    /// <summary>The list row a <see cref="JobStatusChanged"/> describes (<paramref name="workspace"/>: the workspace's name now).</summary>
    public static JobSummary From(JobStatusChanged e, string workspace) => new(
        workspace, e.Job, e.DisplayName, e.Experiment, e.Compute, e.InstanceType, e.InstanceCount, e.Distribution, e.State, e.Reason, e.Submitter, e.CreatedAt, e.StartedAt, e.EndedAt);

    /// <summary>Running time: from start (or creation) to end, or to <paramref name="now"/> while it runs.</summary>
    public TimeSpan? Duration(DateTimeOffset now) => StartedAt is { } start ? (EndedAt ?? now) - start : null;
}
