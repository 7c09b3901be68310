namespace Studio.Infrastructure.InstanceTypes;

/// <summary>The availability board's verdict for an instance type.</summary>
public enum AvailabilityBadge
{
    /// <summary>At least one replica fits in free capacity now.</summary>
    AvailableNow,

    /// <summary>Fits on an empty matching node, but not in today's free capacity: it will queue.</summary>
    Busy,

    /// <summary>No matching node is big enough (or none matches): it can never run as defined.</summary>
    CannotFit,
}
