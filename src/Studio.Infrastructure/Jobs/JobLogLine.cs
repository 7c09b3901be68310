namespace Studio.Infrastructure.Jobs;

/// <summary>One log line of a job: which pod and rank wrote it, its timestamp (when the cluster gave one) and the text.</summary>
public sealed record JobLogLine(string Pod, int Rank, DateTimeOffset? Timestamp, string Text);
