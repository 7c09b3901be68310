namespace Studio.Domain.InstanceTypes;

/// <summary>
/// Who is placing the workload (for the ML taints of reference §1.6) and the extension-wide nodeSelector every ML pod
/// also carries. All optional: without a workspace or compute, nodes reserved with <c>ml.azure.com/workspace</c> or
/// <c>ml.azure.com/compute</c> taints count as unavailable.
/// </summary>
public sealed record FitContext(
    IReadOnlyDictionary<string, string>? ExtensionNodeSelector = null,
    string? Workspace = null,
    string? Compute = null,
    string? ResourceGroup = null)
{
    public static FitContext None { get; } = new();
}
