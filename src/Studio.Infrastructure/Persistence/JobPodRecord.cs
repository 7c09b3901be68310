namespace Studio.Infrastructure.Persistence;

/// <summary>Where a pod of a job ran and how it ended, with the last KiB of its log captured when it ended.</summary>
public sealed class JobPodRecord
{
    public long Id { get; set; }

    public Guid JobId { get; set; }

    public required string Name { get; set; }

    public int Rank { get; set; }

    public required string Role { get; set; }

    public required string Phase { get; set; }

    public string? Node { get; set; }

    public int Restarts { get; set; }

    public string? Reason { get; set; }

    public string? Message { get; set; }

    public int? ExitCode { get; set; }

    public DateTimeOffset? StartedAt { get; set; }

    public DateTimeOffset? FinishedAt { get; set; }

    /// <summary>The end of the pod's log (at most <c>Studio:Jobs:LogTailKiB</c>), captured when the pod ended or the job was canceled.</summary>
    public string? LogTail { get; set; }

    public DateTimeOffset? LogCapturedAt { get; set; }
}
