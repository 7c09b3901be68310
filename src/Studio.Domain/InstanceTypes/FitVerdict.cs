namespace Studio.Domain.InstanceTypes;

/// <summary>The short answer to "can I run this?".</summary>
public enum FitVerdict
{
    /// <summary>The requested replicas fit in today's free capacity.</summary>
    FitsNow,

    /// <summary>They fit on an empty cluster but not now: the workload will queue.</summary>
    Busy,

    /// <summary>No eligible node, or not enough eligible nodes even if empty: it can never run as defined.</summary>
    CannotFit,
}
