namespace Studio.Domain.Endpoints;

/// <summary>How a deployment's replica count is chosen (§4.3 <c>scale_settings</c>).</summary>
public enum ScaleType
{
    /// <summary><c>default</c>: <c>instance_count</c> replicas, as asked.</summary>
    Default,

    /// <summary><c>target_utilization</c>: between min and max replicas from the measured concurrency.</summary>
    TargetUtilization,
}

/// <summary>
/// <c>scale_settings</c> with Azure ML's documented defaults (§4.3): min 1, max 1, target 70 %, polling every second.
/// <see cref="ScaleType.Default"/> ignores the numbers and runs <c>instance_count</c> replicas.
/// </summary>
public sealed record ScaleSettings(
    ScaleType Type = ScaleType.Default,
    int MinInstances = 1,
    int MaxInstances = 1,
    int TargetUtilizationPercentage = 70,
    int PollingIntervalSeconds = 1)
{
    public static ScaleSettings Default { get; } = new();
}
