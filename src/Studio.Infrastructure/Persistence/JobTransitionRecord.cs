namespace Studio.Infrastructure.Persistence;

/// <summary>One step of a job's status timeline.</summary>
public sealed class JobTransitionRecord
{
    public long Id { get; set; }

    public Guid JobId { get; set; }

    public required string State { get; set; }

    public DateTimeOffset At { get; set; }

    public string? Reason { get; set; }
}
