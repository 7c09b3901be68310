using Studio.Domain.Clusters;
using Studio.Domain.InstanceTypes;
using Studio.Infrastructure.Jobs;

namespace Studio.Infrastructure.Tests.Jobs;

/// <summary>"The closest instance type that fits" is one the job could use instead.</summary>
public sealed class ClosestInstanceTypeTests
{
    private static InstanceType Type(string name, long cpuMillis, long memoryGiB, long gpus) =>
        new(name, new Dictionary<string, string>(), new ResourceAmounts(cpuMillis, memoryGiB << 30, 0), new ResourceAmounts(cpuMillis, memoryGiB << 30, gpus));

    [Fact]
    public void Closest_ForAGpuJob_IsNeverACpuOnlyType()
    {
        var a100 = Type("gpu-8x-a100", 96_000, 900, 8);
        var candidates = new[] { InstanceType.Default, Type("cpu-large", 64_000, 512, 0) };

        Assert.Null(JobResolver.Closest(candidates, a100));
        Assert.Equal("gpu-1x-t4", JobResolver.Closest([.. candidates, Type("gpu-1x-t4", 8_000, 56, 1)], a100)?.Name);
    }

    [Fact]
    public void Closest_ForACpuJob_MayBeAnyType()
    {
        var big = Type("cpu-huge", 256_000, 2048, 0);

        Assert.Equal("cpu-large", JobResolver.Closest([InstanceType.Default, Type("cpu-large", 64_000, 512, 0)], big)?.Name);
    }
}
