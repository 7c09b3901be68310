using Studio.Domain.Clusters;
using Studio.Domain.InstanceTypes;

namespace Studio.Domain.Tests.InstanceTypes;

public sealed class FitCalculatorTests
{
    private const long Gi = 1024L * 1024 * 1024;

    private static FitNode Node(string name, string pool, long cpu, long memGi, long gpus = 0, ResourceAmounts? used = null, string[]? taints = null, Dictionary<string, string>? labels = null)
    {
        var allocatable = new ResourceAmounts(cpu * 1000, memGi * Gi, gpus);
        var all = new Dictionary<string, string>(labels ?? [], StringComparer.Ordinal) { ["agentpool"] = pool };
        return new FitNode(name, pool, all, [.. (taints ?? []).Select(t => NodeTaint.Parse(t)!)], allocatable, (allocatable - (used ?? default)).AtLeastZero());
    }

    private static InstanceType Type(string cpu, string memory, string? gpu = null, Dictionary<string, string>? selector = null) =>
        InstanceTypeRules.Validate(new InstanceTypeDraft("t", selector ?? [], cpu, memory, cpu, memory, gpu)).Value;

    private static readonly FitNode[] Topology =
    [
        Node("cpu-0", "cpu", 8, 32),
        Node("cpu-1", "cpu", 8, 32, used: new ResourceAmounts(6000, 4 * Gi, 0)),
        Node("t4-0", "gput4", 4, 28, 1, labels: new() { ["nvidia.com/gpu.product"] = "Tesla-T4" }),
        Node("a100-0", "gpua100", 24, 220, 1, labels: new() { ["nvidia.com/gpu.product"] = "NVIDIA-A100-PCIE-80GB" }),
    ];

    public static TheoryData<string, string, string?, int, int, int> Sizes => new()
    {
        // cpu, memory, gpu → eligible nodes, fit now, fit empty
        { "2", "8Gi", null, 4, 4 + 1 + 2 + 12, 4 + 4 + 2 + 12 },
        { "1", "1Gi", null, 4, 8 + 2 + 4 + 24, 8 + 8 + 4 + 24 },
        { "4", "16Gi", "1", 4, 2, 2 },
        { "8", "32Gi", null, 4, 1 + 0 + 0 + 3, 1 + 1 + 0 + 3 },
        { "500m", "1500Mi", null, 4, 16 + 4 + 8 + 48, 16 + 16 + 8 + 48 },
    };

    [Theory]
    [MemberData(nameof(Sizes))]
    public void Evaluate_CountsReplicas_AsTheMinimumOverDimensions(string cpu, string memory, string? gpu, int matching, int now, int empty)
    {
        var report = FitCalculator.Evaluate(Type(cpu, memory, gpu), Topology);

        Assert.Equal((matching, now, empty), (report.MatchingNodes, report.ReplicasFitNow, report.ReplicasFitEmpty));
        Assert.Empty(report.Errors);
    }

    [Fact]
    public void Evaluate_Selector_KeepsOnlyMatchingNodes_AndGroupsPerPool()
    {
        var report = FitCalculator.Evaluate(Type("4", "16Gi", "1", new() { ["nvidia.com/gpu.product"] = "NVIDIA-A100-PCIE-80GB" }), Topology);

        Assert.Equal((1, 1, 1, 1L), (report.MatchingNodes, report.ReplicasFitNow, report.ReplicasFitEmpty, report.FreeGpus));
        var pool = Assert.Single(report.Pools);
        Assert.Equal(new PoolFit("gpua100", 1, 1, 1, 1), pool);
        Assert.Equal(FitVerdict.FitsNow, report.VerdictFor(1));
        Assert.Equal(FitVerdict.NeverFits, report.VerdictFor(2));
    }

    [Fact]
    public void Evaluate_GpuInUse_IsBusyNotImpossible()
    {
        var nodes = new[] { Node("a100-0", "gpua100", 24, 220, 1, used: new ResourceAmounts(1000, Gi, 1)) };

        var report = FitCalculator.Evaluate(Type("4", "16Gi", "1"), nodes);

        Assert.Equal((0, 1, 0L, FitVerdict.WillQueue), (report.ReplicasFitNow, report.ReplicasFitEmpty, report.FreeGpus, report.VerdictFor()));
    }

    [Fact]
    public void Evaluate_TooBigForEveryMatchingNode_WarnsNamingTheLargestNode_ButIsNoError()
    {
        var nodes = new[] { Node("cpu-0", "cpu", 8, 30), Node("small", "cpu", 4, 16) };

        var report = FitCalculator.Evaluate(Type("16", "8Gi"), nodes);

        Assert.Empty(report.Errors);
        var warning = Assert.Single(report.Warnings);
        Assert.Equal(InstanceTypeFields.RequestCpu, warning.Field);
        Assert.Contains("exceeds node size: largest matching node has 8 CPU / 30 GiB allocatable", warning.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(FitVerdict.NeverFits, report.VerdictFor());
    }

    [Fact]
    public void Evaluate_MemoryTooBig_PointsAtMemory_AndGpuTooBig_AtTheGpuLimit_BothAsWarnings()
    {
        Assert.Equal(InstanceTypeFields.RequestMemory, Assert.Single(FitCalculator.Evaluate(Type("1", "64Gi"), [Node("n", "cpu", 8, 32)]).Warnings).Field);
        var report = FitCalculator.Evaluate(Type("1", "1Gi", "2"), [Node("n", "gpu", 8, 32, 1)]);
        Assert.Empty(report.Errors);
        var gpu = Assert.Single(report.Warnings);
        Assert.Equal(InstanceTypeFields.LimitGpu, gpu.Field);
        Assert.Contains("1 GPU allocatable", gpu.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_SmallRequestsButLimitsBeyondEveryNode_ClaimsNoReplica_AndWarnsOnTheLimit()
    {
        var huge = InstanceTypeRules.Validate(new InstanceTypeDraft("huge", new Dictionary<string, string>(), "1", "1Gi", "1000", "4Ti", null)).Value;

        var report = FitCalculator.Evaluate(huge, Topology);

        Assert.Empty(report.Errors);
        Assert.Equal((0, 0), (report.ReplicasFitNow, report.ReplicasFitEmpty));
        var warning = Assert.Single(report.Warnings);
        Assert.Equal(InstanceTypeFields.LimitCpu, warning.Field);
        Assert.Contains("its limits 1,000 CPU / 4 TiB", warning.Message, StringComparison.Ordinal);
        Assert.Equal(FitVerdict.NeverFits, report.VerdictFor());
    }

    [Fact]
    public void Evaluate_LimitsBeyondSomeNodes_CountsReplicasOnlyWhereTheLimitsFit()
    {
        var wide = InstanceTypeRules.Validate(new InstanceTypeDraft("wide", new Dictionary<string, string>(), "1", "1Gi", "16", "64Gi", null)).Value;

        var report = FitCalculator.Evaluate(wide, Topology);

        Assert.Empty(report.Warnings);
        Assert.Equal(["a100-0"], report.Nodes.Where(f => f.ReplicasFitEmpty > 0).Select(f => f.Node.Name));
    }

    [Fact]
    public void Evaluate_SelectorMatchesNothing_WarnsWithTheClosestLabels()
    {
        var report = FitCalculator.Evaluate(Type("1", "1Gi", selector: new() { ["agentpool"] = "gpu-a100", ["nvidia.com/gpu.prodcut"] = "x" }), Topology);

        Assert.Empty(report.Errors);
        var warning = Assert.Single(report.Warnings);
        Assert.Equal(InstanceTypeFields.NodeSelector, warning.Field);
        Assert.Contains("no node has agentpool=gpu-a100; nodes carry agentpool=cpu, gpua100, gput4", warning.Message, StringComparison.Ordinal);
        Assert.Contains("did you mean nvidia.com/gpu.product?", warning.Message, StringComparison.Ordinal);
        Assert.Equal(FitVerdict.NeverFits, report.VerdictFor());
    }

    public static TheoryData<string, string?, string?, bool> Taints => new()
    {
        // taint, workspace, compute → tolerated
        { "ml.azure.com/amlarc=true:NoSchedule", null, null, true },
        { "ml.azure.com/amlarc-workload=true:NoExecute", null, null, true },
        { "ml.azure.com/amlarc-system=true:NoSchedule", "ws", "gpu", false },
        { "ml.azure.com/workspace=ws:NoSchedule", "ws", null, true },
        { "ml.azure.com/workspace=other:NoSchedule", "ws", null, false },
        { "ml.azure.com/workspace=ws:NoSchedule", null, null, false },
        { "ml.azure.com/compute=gpu:NoSchedule", "ws", "gpu", true },
        { "ml.azure.com/compute=cpu:NoSchedule", "ws", "gpu", false },
        { "sku=gpu:NoSchedule", "ws", "gpu", false },
        { "sku=gpu:NoExecute", "ws", "gpu", false },
        { "sku=gpu:PreferNoSchedule", "ws", "gpu", true },
    };

    [Theory]
    [MemberData(nameof(Taints))]
    public void Evaluate_Taints_FollowTheMlTolerations(string taint, string? workspace, string? compute, bool tolerated)
    {
        var report = FitCalculator.Evaluate(Type("1", "1Gi"), [Node("n", "p", 8, 32, taints: [taint])], new FitContext(Workspace: workspace, Compute: compute));

        Assert.Equal(tolerated, report.Nodes[0].Eligible);
        Assert.Equal(tolerated ? 8 : 0, report.ReplicasFitNow);
        if (!tolerated)
        {
            Assert.Contains("do not tolerate", Assert.Single(report.Warnings).Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Evaluate_ExtensionSelector_AppliesToInstanceTypesWithoutOne()
    {
        var context = new FitContext(new Dictionary<string, string> { ["agentpool"] = "cpu" });

        var report = FitCalculator.Evaluate(Type("1", "1Gi"), Topology, context);

        Assert.Equal(2, report.MatchingNodes);
        Assert.All(report.Nodes.Where(n => n.Eligible), n => Assert.Equal("cpu", n.Node.Pool));
    }

    [Fact]
    public void Evaluate_SelectorContradictingTheExtensionSelector_IsAnErrorOnThatEntry()
    {
        var context = new FitContext(new Dictionary<string, string> { ["agentpool"] = "cpu" });

        var report = FitCalculator.Evaluate(Type("1", "1Gi", selector: new() { ["agentpool"] = "gpua100" }), Topology, context);

        var error = Assert.Single(report.Errors);
        Assert.Equal("spec.nodeSelector.agentpool", error.Field);
        Assert.Contains("extension-wide nodeSelector agentpool=cpu", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_NoNodes_WarnsAndCannotFit()
    {
        var report = FitCalculator.Evaluate(Type("1", "1Gi"), []);

        Assert.Contains("no nodes", Assert.Single(report.Warnings).Message, StringComparison.Ordinal);
        Assert.Equal(FitVerdict.NeverFits, report.VerdictFor());
    }

    [Theory]
    [InlineData("key=value:NoSchedule", "key", "value", TaintEffect.NoSchedule)]
    [InlineData("key:NoExecute", "key", null, TaintEffect.NoExecute)]
    [InlineData("ml.azure.com/amlarc=true:PreferNoSchedule", "ml.azure.com/amlarc", "true", TaintEffect.PreferNoSchedule)]
    public void NodeTaint_Parse_ReadsKubectlsForm(string text, string key, string? value, TaintEffect effect) =>
        Assert.Equal(new NodeTaint(key, value, effect), NodeTaint.Parse(text));

    [Theory]
    [InlineData("")]
    [InlineData("key=value")]
    [InlineData("key=value:Sometimes")]
    public void NodeTaint_Parse_RejectsOtherText(string text) => Assert.Null(NodeTaint.Parse(text));
}
