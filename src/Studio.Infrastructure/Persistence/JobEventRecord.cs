namespace Studio.Infrastructure.Persistence;

/// <summary>A Kubernetes event about a job or its pods, kept after the cluster forgets it.</summary>
public sealed class JobEventRecord
{
    public long Id { get; set; }

    public Guid JobId { get; set; }

    /// <summary>The event's uid on the cluster (so a re-read updates its count instead of adding a copy).</summary>
    public required string Uid { get; set; }

    public DateTimeOffset At { get; set; }

    public required string Type { get; set; }

    public required string Reason { get; set; }

    public required string Message { get; set; }

    public required string Object { get; set; }

    public int Count { get; set; }
}
