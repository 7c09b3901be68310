using Studio.Domain.Clusters;

namespace Studio.Domain.InstanceTypes;

/// <summary>
/// An Azure ML instance type (<c>amlarc.azureml.com/v1alpha1</c> InstanceType): where a workload's pods go
/// (<see cref="NodeSelector"/>) and how big each pod is (<see cref="Requests"/> and <see cref="Limits"/>; GPUs only in
/// limits). Shared language of the catalog, the job and endpoint forms and the fit calculator.
/// </summary>
public sealed record InstanceType(string Name, IReadOnlyDictionary<string, string> NodeSelector, ResourceAmounts Requests, ResourceAmounts Limits)
{
    /// <summary>The name of the implicit default every cluster has until a resource with this name overrides it.</summary>
    public const string DefaultName = "defaultinstancetype";

    /// <summary>Azure ML's implicit default: requests 100m / 2Gi, limits 2 CPU / 2Gi, no GPU, no nodeSelector.</summary>
    public static InstanceType Default { get; } = new(
        DefaultName,
        new Dictionary<string, string>(),
        new ResourceAmounts(100, 2L * 1024 * 1024 * 1024, 0),
        new ResourceAmounts(2000, 2L * 1024 * 1024 * 1024, 0));
}
