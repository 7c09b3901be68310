using Studio.Domain.Clusters;

namespace Studio.Domain.InstanceTypes;

/// <summary>
/// An Azure ML instance type (<c>amlarc.azureml.com/v1alpha1</c> InstanceType): where a workload's pods go
/// (<see cref="NodeSelector"/>) and how big each pod is (<see cref="Requests"/> and <see cref="Limits"/>; GPUs only in
/// limits). Shared language of the catalog, the job and endpoint forms and the fit calculator. Build validated
/// instances with <see cref="InstanceTypeRules.Validate"/>.
/// </summary>
public sealed record InstanceType(string Name, IReadOnlyDictionary<string, string> NodeSelector, ResourceAmounts Requests, ResourceAmounts Limits)
{
    /// <summary>The name of the implicit default every cluster has until a resource with this name overrides it.</summary>
    public const string DefaultName = "defaultinstancetype";

    private readonly string? _requestCpu;
    private readonly string? _requestMemory;
    private readonly string? _limitCpu;
    private readonly string? _limitMemory;

    /// <summary>Azure ML's implicit default: requests 100m / 2Gi, limits 2 CPU / 2Gi, no GPU, no nodeSelector.</summary>
    public static InstanceType Default { get; } = new(
        DefaultName,
        new Dictionary<string, string>(),
        new ResourceAmounts(100, 2L * 1024 * 1024 * 1024, 0),
        new ResourceAmounts(2000, 2L * 1024 * 1024 * 1024, 0))
    {
        IsImplicit = true,
        RequestCpu = "100m",
        RequestMemory = "2Gi",
        LimitCpu = "2",
        LimitMemory = "2Gi",
    };

    /// <summary>True for the implicit <c>defaultinstancetype</c> that exists without a resource on the cluster.</summary>
    public bool IsImplicit { get; init; }

    /// <summary>The CPU request as written (<c>500m</c>); derived from <see cref="Requests"/> when not set.</summary>
    public string RequestCpu { get => _requestCpu ?? Quantity.FromMillis(Requests.CpuMillis).Text; init => _requestCpu = value; }

    /// <summary>The memory request as written (<c>1500Mi</c>); derived from <see cref="Requests"/> when not set.</summary>
    public string RequestMemory { get => _requestMemory ?? Quantity.FromBytes(Requests.MemoryBytes).Text; init => _requestMemory = value; }

    /// <summary>The CPU limit as written; derived from <see cref="Limits"/> when not set.</summary>
    public string LimitCpu { get => _limitCpu ?? Quantity.FromMillis(Limits.CpuMillis).Text; init => _limitCpu = value; }

    /// <summary>The memory limit as written; derived from <see cref="Limits"/> when not set.</summary>
    public string LimitMemory { get => _limitMemory ?? Quantity.FromBytes(Limits.MemoryBytes).Text; init => _limitMemory = value; }

    /// <summary>What one pod asks the scheduler for: CPU and memory requests, and the GPU limit (extended resources request what they limit).</summary>
    public ResourceAmounts PodRequest => new(Requests.CpuMillis, Requests.MemoryBytes, Limits.Gpus);

    /// <summary>"4 CPU · 16 GiB · 1 GPU" (limits), for lists and pickers.</summary>
    public string Summary => HumanUnits.Summary(Limits);
}
