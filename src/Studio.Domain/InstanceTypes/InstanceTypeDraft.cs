namespace Studio.Domain.InstanceTypes;

/// <summary>
/// An instance type as a person or a YAML file wrote it: every value still text, so that each mistake can be reported
/// on its own field. <see cref="InstanceTypeRules.Validate"/> turns it into an <see cref="InstanceType"/>.
/// <see cref="RequestGpu"/> exists only to be refused (GPUs go in limits).
/// </summary>
public sealed record InstanceTypeDraft(
    string? Name,
    IReadOnlyDictionary<string, string>? NodeSelector,
    string? RequestCpu,
    string? RequestMemory,
    string? LimitCpu,
    string? LimitMemory,
    string? LimitGpu = null,
    string? RequestGpu = null)
{
    /// <summary>The draft that reproduces <paramref name="instanceType"/> (edit and duplicate start here).</summary>
    public static InstanceTypeDraft From(InstanceType instanceType) => new(
        instanceType.Name,
        new Dictionary<string, string>(instanceType.NodeSelector, StringComparer.Ordinal),
        instanceType.RequestCpu,
        instanceType.RequestMemory,
        instanceType.LimitCpu,
        instanceType.LimitMemory,
        instanceType.Limits.Gpus > 0 ? instanceType.Limits.Gpus.ToString(System.Globalization.CultureInfo.InvariantCulture) : null);
}
