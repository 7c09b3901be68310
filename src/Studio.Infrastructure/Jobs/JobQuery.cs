using Studio.Domain.Jobs;

namespace Studio.Infrastructure.Jobs;

/// <summary>
/// Filters, sort and page of the job list. <see cref="Status"/> keeps jobs in any of the given states (empty or null: all);
/// <see cref="Text"/> matches name, display name, experiment and tags.
/// </summary>
public sealed record JobQuery(
    IReadOnlyCollection<JobState>? Status = null,
    string? Compute = null,
    string? Submitter = null,
    string? Experiment = null,
    string? Text = null,
    JobSort Sort = JobSort.Created,
    bool Descending = true,
    int Page = 1,
    int PageSize = 25)
{
    public const int MaxPageSize = 200;
}
