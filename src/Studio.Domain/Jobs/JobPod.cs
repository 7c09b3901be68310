namespace Studio.Domain.Jobs;

/// <summary>Where a pod of a job ran and how it ended, with the end of its log kept when it ended (or the job was canceled).</summary>
public sealed class JobPod
{
    private JobPod()
    {
        Name = Role = Phase = string.Empty;
    }

    internal JobPod(Guid jobId, string name, string role, string phase)
    {
        JobId = jobId;
        Name = name;
        Role = role;
        Phase = phase;
    }

    public long Id { get; private set; }

    public Guid JobId { get; private set; }

    public string Name { get; private set; }

    public int Rank { get; private set; }

    /// <summary>main, master, worker, launcher or ps (from the distribution and the rank).</summary>
    public string Role { get; private set; }

    public string Phase { get; private set; }

    public string? Node { get; private set; }

    public int Restarts { get; private set; }

    public string? Reason { get; private set; }

    public string? Message { get; private set; }

    public int? ExitCode { get; private set; }

    public DateTimeOffset? StartedAt { get; private set; }

    public DateTimeOffset? FinishedAt { get; private set; }

    /// <summary>The end of the pod's log (at most <c>Studio:Jobs:LogTailKiB</c>), kept when the pod ended or the job was canceled.</summary>
    public string? LogTail { get; private set; }

    public DateTimeOffset? LogCapturedAt { get; private set; }

    /// <summary>Takes what the cluster says now; true when anything the pods tab shows changed.</summary>
    internal bool Observe(PodObservation pod, DateTimeOffset? startedAt, DateTimeOffset? finishedAt)
    {
        var before = (Rank, Phase, Node, Restarts, Reason);
        var container = pod.Containers.FirstOrDefault();
        Rank = pod.Rank;
        Phase = pod.Phase;
        Node = pod.Node ?? Node;
        Restarts = pod.Containers.Sum(c => c.Restarts);
        Reason = TrainingJob.Cut(pod.Unschedulable ? JobStatusMapping.Unschedulable : container?.Reason ?? pod.Reason ?? container?.LastTerminatedReason, 128);
        Message = TrainingJob.Cut(pod.Unschedulable ? SchedulingExplainer.Explain(pod.SchedulingMessage) : container?.Message ?? pod.Message, 4096);
        ExitCode = container?.ExitCode ?? ExitCode;
        StartedAt = startedAt ?? StartedAt;
        FinishedAt = finishedAt ?? FinishedAt;
        return before != (Rank, Phase, Node, Restarts, Reason);
    }

    internal void KeepLog(string tail, DateTimeOffset at)
    {
        LogTail = tail;
        LogCapturedAt = at;
    }

    /// <summary>A pod still pending or running when its job is canceled is deleted with it.</summary>
    internal void Delete(DateTimeOffset at)
    {
        if (Phase is "Pending" or "Running")
        {
            Phase = "Deleted";
            FinishedAt ??= at;
            Reason ??= "Canceled";
        }
    }
}
