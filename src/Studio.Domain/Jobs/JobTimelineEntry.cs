namespace Studio.Domain.Jobs;

/// <summary>One step of a job's recorded timeline: the state it entered, when, and why.</summary>
public sealed class JobTimelineEntry
{
    private JobTimelineEntry()
    {
    }

    internal JobTimelineEntry(Guid jobId, JobState state, DateTimeOffset at, string? reason)
    {
        JobId = jobId;
        State = state;
        At = at;
        Reason = reason;
    }

    public long Id { get; private set; }

    public Guid JobId { get; private set; }

    public JobState State { get; private set; }

    public DateTimeOffset At { get; private set; }

    public string? Reason { get; private set; }

    public JobTransition ToTransition() => new(State, At, Reason);
}
