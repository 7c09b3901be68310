namespace Studio.Domain.InstanceTypes;

/// <summary>What a node taint does to pods that do not tolerate it.</summary>
public enum TaintEffect
{
    /// <summary>New pods are not scheduled on the node.</summary>
    NoSchedule,

    /// <summary>The scheduler avoids the node but may still use it (never blocks a fit).</summary>
    PreferNoSchedule,

    /// <summary>New pods are not scheduled and running ones are evicted.</summary>
    NoExecute,
}
