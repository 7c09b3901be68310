namespace Studio.Domain.Jobs;

/// <summary>One step of a job's timeline: the state it entered, when, and why (a reason code or sentence, if any).</summary>
public sealed record JobTransition(JobState State, DateTimeOffset At, string? Reason = null);
