using Studio.Domain;
using Studio.Domain.InstanceTypes;
using Studio.Infrastructure.InstanceTypes;

namespace Studio.Web.Api;

/// <summary>An instance type as the API returns it: values as written, human units, problems, and live availability.</summary>
public sealed record InstanceTypeView(
    string Name,
    bool Implicit,
    bool Valid,
    IReadOnlyDictionary<string, string[]> Problems,
    IReadOnlyDictionary<string, string> NodeSelector,
    InstanceTypeQuantitiesView Requests,
    InstanceTypeQuantitiesView Limits,
    string? Summary,
    InstanceTypeAvailabilityView? Availability,
    DateTimeOffset? CreatedAt,
    string? ManagedBy)
{
    public static InstanceTypeView From(InstanceTypeEntry entry, InstanceTypeAvailability? availability)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var d = entry.Draft;
        return new InstanceTypeView(
            entry.Name,
            entry.IsImplicit,
            entry.IsValid,
            entry.Problems.GroupBy(p => p.Field ?? string.Empty).ToDictionary(g => g.Key, g => g.Select(p => p.Message).ToArray()),
            d.NodeSelector ?? new Dictionary<string, string>(),
            new InstanceTypeQuantitiesView(d.RequestCpu, d.RequestMemory, d.RequestGpu, HumanUnits.Describe(d.RequestCpu, cpu: true), HumanUnits.Describe(d.RequestMemory, cpu: false)),
            new InstanceTypeQuantitiesView(d.LimitCpu, d.LimitMemory, d.LimitGpu, HumanUnits.Describe(d.LimitCpu, cpu: true), HumanUnits.Describe(d.LimitMemory, cpu: false)),
            entry.InstanceType?.Summary,
            availability is null ? null : InstanceTypeAvailabilityView.From(availability),
            entry.CreatedAt,
            entry.ManagedBy);
    }
}

/// <summary>CPU, memory and GPU as written, with CPU and memory in human units ("1500Mi" → "1.46 GiB").</summary>
public sealed record InstanceTypeQuantitiesView(string? Cpu, string? Memory, string? Gpu, string? CpuHuman, string? MemoryHuman);

/// <summary>Live availability: matching nodes, replicas now and on an empty cluster, free GPUs, per pool, and the badge.</summary>
public sealed record InstanceTypeAvailabilityView(
    int MatchingNodes,
    int ReplicasFitNow,
    int ReplicasFitEmpty,
    long FreeGpus,
    AvailabilityBadge Badge,
    string? Reason,
    IReadOnlyList<PoolFit> Pools)
{
    public static InstanceTypeAvailabilityView From(InstanceTypeAvailability a)
    {
        ArgumentNullException.ThrowIfNull(a);
        return new(a.MatchingNodes, a.ReplicasFitNow, a.ReplicasFitEmpty, a.FreeGpus, a.Badge, a.Reason, a.Fit?.Pools ?? []);
    }
}
