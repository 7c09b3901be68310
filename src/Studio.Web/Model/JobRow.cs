using Studio.Domain.Jobs;

namespace Studio.Web.Model;

/// <summary>One row of the job list.</summary>
public sealed record JobRow(
    string Name,
    string? DisplayName,
    JobState State,
    string? StateReason,
    string Compute,
    string? InstanceType,
    int InstanceCount,
    string Submitter,
    string? Experiment,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? EndedAt)
{
    public string Title => string.IsNullOrWhiteSpace(DisplayName) ? Name : DisplayName;
}
