namespace Studio.Domain.InstanceTypes;

/// <summary>
/// The short answer to "can I run this?" — for an instance type's replicas on the availability board and for a job's
/// instances in the submit pre-flight (gang-placed: all of them or none).
/// </summary>
public enum FitVerdict
{
    /// <summary>Every replica fits in today's free capacity.</summary>
    FitsNow,

    /// <summary>They fit on the matching nodes when those are free, but not now: the workload will queue.</summary>
    WillQueue,

    /// <summary>No matching node is big enough for one replica, or too few for all of them even if empty: it can never run as defined.</summary>
    NeverFits,
}
