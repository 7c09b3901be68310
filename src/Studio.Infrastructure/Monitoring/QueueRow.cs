namespace Studio.Infrastructure.Monitoring;

/// <summary>A compute target's queue: jobs waiting now, and how long jobs waited before starting (p50/p90).</summary>
public sealed record QueueRow(string Workspace, string Compute, int QueuedNow, TimeSpan? WaitP50, TimeSpan? WaitP90, int Samples);
