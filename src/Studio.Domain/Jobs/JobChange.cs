namespace Studio.Domain.Jobs;

/// <summary>What changed about a job in one <see cref="JobStatusChanged"/> (several at once when one save held them).</summary>
[Flags]
public enum JobChange
{
    None = 0,

    /// <summary>The job was submitted (recorded Queued).</summary>
    Submitted = 1,

    /// <summary>The job entered another <see cref="JobState"/> (a timeline step).</summary>
    State = 2,

    /// <summary>Same state, another reason, message or hint (e.g. Queued → Queued: Unschedulable).</summary>
    Status = 4,

    /// <summary>Pod placements changed: a pod appeared, moved phase, got a node, restarted or changed reason.</summary>
    Pods = 8,

    /// <summary>A pod's log tail was kept in the record (the logs tab can answer from the record now).</summary>
    Logs = 16,

    /// <summary>Kubernetes events about the job were kept in the record.</summary>
    Events = 32,

    /// <summary>
    /// Not a change made here: this replica read a record another replica (or a cancel elsewhere) changed, and publishes
    /// what it read so its own pages and hub clients see it too.
    /// </summary>
    Elsewhere = 64,
}
