using Studio.Domain.Clusters;
using Studio.Domain.InstanceTypes;
using Studio.Domain.Jobs;

namespace Studio.Domain.Tests.Jobs;

public sealed class JobFitTests
{
    private const long Gi = 1024L * 1024 * 1024;

    private static FitNode Node(string name, string pool, ResourceAmounts allocatable, ResourceAmounts free, params NodeTaint[] taints) =>
        new(name, pool, new Dictionary<string, string> { ["agentpool"] = pool }, taints, allocatable, free);

    private static readonly InstanceType A100 = new("gpu-a100", new Dictionary<string, string> { ["agentpool"] = "gpua100" }, new ResourceAmounts(4000, 16 * Gi, 0), new ResourceAmounts(8000, 32 * Gi, 1));

    [Fact]
    public void BusyGpuPool_ExplainsTheLargestFreeBlock()
    {
        var nodes = new[]
        {
            Node("a100-0", "gpua100", new ResourceAmounts(24000, 220 * Gi, 1), new ResourceAmounts(20000, 204 * Gi, 0)),
            Node("cpu-0", "cpu", new ResourceAmounts(8000, 32 * Gi, 0), new ResourceAmounts(8000, 32 * Gi, 0)),
        };

        var fit = JobFit.From(FitCalculator.Evaluate(A100, nodes));

        Assert.Equal((1, 0, 1), (fit.MatchingNodes, fit.FitNow, fit.FitEmpty));
        Assert.False(fit.FitsNow(1));
        Assert.True(fit.EverFits(1));
        Assert.False(fit.EverFits(2));
        var pool = Assert.Single(fit.Pools);
        Assert.Equal("gpua100: a pod needs 4 CPU, 16 GiB, 1 GPU; the largest free block is 20 CPU, 204 GiB on a100-0 (too few free GPUs).", pool.Explanation);
    }

    [Fact]
    public void PoolTooSmall_SaysItCanNeverFitThere()
    {
        var big = new InstanceType("huge", new Dictionary<string, string> { ["agentpool"] = "cpu" }, new ResourceAmounts(64000, 512 * Gi, 0), new ResourceAmounts(64000, 512 * Gi, 0));
        var nodes = new[] { Node("cpu-0", "cpu", new ResourceAmounts(8000, 32 * Gi, 0), new ResourceAmounts(8000, 32 * Gi, 0)) };

        var fit = JobFit.From(FitCalculator.Evaluate(big, nodes));

        Assert.Contains("can never fit here", Assert.Single(fit.Pools).Explanation, StringComparison.Ordinal);
        Assert.False(fit.EverFits(1));
    }

    [Fact]
    public void NoNodeWithTheLabels_SaysSo()
    {
        var fit = JobFit.From(FitCalculator.Evaluate(A100, [Node("cpu-0", "cpu", new ResourceAmounts(8000, 32 * Gi, 0), new ResourceAmounts(8000, 32 * Gi, 0))]));

        Assert.Equal("No node has the labels agentpool=gpua100 the instance type selects.", fit.NoMatchReason);
        Assert.Empty(fit.Pools);
    }

    [Fact]
    public void TaintedNodes_AreNamedWithTheTaint_AndTheWorkspaceTaintIsTolerated()
    {
        var tainted = Node("a100-0", "gpua100", new ResourceAmounts(24000, 220 * Gi, 1), new ResourceAmounts(24000, 220 * Gi, 1), new NodeTaint("ml.azure.com/workspace", "team-a", TaintEffect.NoSchedule));

        var other = JobFit.From(FitCalculator.Evaluate(A100, [tainted], new FitContext(Workspace: "team-b", Compute: "gpu")));
        var own = JobFit.From(FitCalculator.Evaluate(A100, [tainted], new FitContext(Workspace: "team-a", Compute: "gpu")));

        Assert.Contains("ml.azure.com/workspace=team-a:NoSchedule", other.NoMatchReason, StringComparison.Ordinal);
        Assert.True(own.FitsNow(1));
    }

    [Theory]
    [InlineData(4000, 16L * 1024 * 1024 * 1024, 1, "4 CPU, 16 GiB, 1 GPU")]
    [InlineData(500, 512L * 1024 * 1024, 0, "0.5 CPU, 512 MiB")]
    [InlineData(0, 0, 2, "0 CPU, 0 MiB, 2 GPUs")]
    public void Describe(long cpu, long memory, long gpus, string text) => Assert.Equal(text, JobFit.Describe(new ResourceAmounts(cpu, memory, gpus)));
}
