namespace Studio.Infrastructure.Jobs;

/// <summary>Sort keys of the job list.</summary>
public enum JobSort
{
    Created,
    Name,
    Status,
    Compute,
    Duration,
    Submitter,
}
