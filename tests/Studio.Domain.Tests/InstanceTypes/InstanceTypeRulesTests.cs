using Studio.Domain.InstanceTypes;

namespace Studio.Domain.Tests.InstanceTypes;

public sealed class InstanceTypeRulesTests
{
    private static InstanceTypeDraft Valid => new("gpu-1x-a100", new Dictionary<string, string> { ["agentpool"] = "gpua100" }, "4", "16Gi", "8", "32Gi", "1");

    public static TheoryData<string, InstanceTypeDraft, string, string> Broken => new()
    {
        { "name empty", Valid with { Name = "" }, InstanceTypeFields.Name, "required" },
        { "name upper case", Valid with { Name = "GPU" }, InstanceTypeFields.Name, "lower case" },
        { "name underscore", Valid with { Name = "gpu_small" }, InstanceTypeFields.Name, "lower case" },
        { "cpu request missing", Valid with { RequestCpu = null }, InstanceTypeFields.RequestCpu, "required" },
        { "cpu request zero", Valid with { RequestCpu = "0" }, InstanceTypeFields.RequestCpu, "greater than zero" },
        { "cpu request 0m", Valid with { RequestCpu = "0m" }, InstanceTypeFields.RequestCpu, "greater than zero" },
        { "cpu request negative", Valid with { RequestCpu = "-1" }, InstanceTypeFields.RequestCpu, "greater than zero" },
        { "cpu request garbage", Valid with { RequestCpu = "two" }, InstanceTypeFields.RequestCpu, "not a quantity" },
        { "memory request missing", Valid with { RequestMemory = " " }, InstanceTypeFields.RequestMemory, "required" },
        { "memory request zero", Valid with { RequestMemory = "0Gi" }, InstanceTypeFields.RequestMemory, "greater than zero" },
        { "memory request bad suffix", Valid with { RequestMemory = "16GB" }, InstanceTypeFields.RequestMemory, "unknown suffix" },
        { "memory in millibytes", Valid with { RequestMemory = "512m" }, InstanceTypeFields.RequestMemory, "512Mi" },
        { "memory without unit", Valid with { RequestMemory = "16" }, InstanceTypeFields.RequestMemory, "needs a unit" },
        { "cpu limit missing", Valid with { LimitCpu = "" }, InstanceTypeFields.LimitCpu, "required" },
        { "memory limit zero", Valid with { LimitMemory = "0" }, InstanceTypeFields.LimitMemory, "greater than zero" },
        { "gpu in requests", Valid with { RequestGpu = "1" }, InstanceTypeFields.RequestGpu, "limits only" },
        { "gpu fractional", Valid with { LimitGpu = "0.5" }, InstanceTypeFields.LimitGpu, "whole number" },
        { "gpu millis", Valid with { LimitGpu = "500m" }, InstanceTypeFields.LimitGpu, "whole number" },
        { "gpu negative", Valid with { LimitGpu = "-1" }, InstanceTypeFields.LimitGpu, "whole number" },
        { "gpu garbage", Valid with { LimitGpu = "one" }, InstanceTypeFields.LimitGpu, "not a quantity" },
        { "cpu request above limit", Valid with { RequestCpu = "8500m" }, InstanceTypeFields.RequestCpu, "greater than the CPU limit" },
        { "memory request above limit", Valid with { RequestMemory = "33Gi" }, InstanceTypeFields.RequestMemory, "greater than the memory limit" },
        { "selector bad key", Valid with { NodeSelector = new Dictionary<string, string> { ["bad key"] = "x" } }, "spec.nodeSelector.bad key", "not a valid label key" },
        { "selector bad value", Valid with { NodeSelector = new Dictionary<string, string> { ["pool"] = "a b" } }, "spec.nodeSelector.pool", "not a valid label value" },
    };

    [Theory]
    [MemberData(nameof(Broken))]
    public void Validate_BrokenRule_IsOneErrorOnItsField(string rule, InstanceTypeDraft draft, string field, string message)
    {
        var result = InstanceTypeRules.Validate(draft);

        var error = Assert.Single(result.Errors);
        Assert.True(field == error.Field, $"{rule}: field {error.Field}");
        Assert.Contains(message, error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Validate_EverythingMissing_ReportsEveryFieldAtOnce()
    {
        var result = InstanceTypeRules.Validate(new InstanceTypeDraft(null, null, null, null, null, null));

        Assert.Equal(
            [InstanceTypeFields.Name, InstanceTypeFields.RequestCpu, InstanceTypeFields.RequestMemory, InstanceTypeFields.LimitCpu, InstanceTypeFields.LimitMemory],
            result.Errors.Select(e => e.Field));
    }

    [Fact]
    public void Validate_Valid_KeepsTheTextAsWrittenAndExactAmounts()
    {
        var it = InstanceTypeRules.Validate(Valid with { RequestCpu = "1500m", RequestMemory = "1500Mi", LimitCpu = "1.5" }).Value;

        Assert.Equal(("1500m", "1500Mi", "1.5", "32Gi"), (it.RequestCpu, it.RequestMemory, it.LimitCpu, it.LimitMemory));
        Assert.Equal(new Clusters.ResourceAmounts(1500, 1500L * 1024 * 1024, 0), it.Requests);
        Assert.Equal(new Clusters.ResourceAmounts(1500, 32L * 1024 * 1024 * 1024, 1), it.Limits);
        Assert.Equal(new Clusters.ResourceAmounts(1500, 1500L * 1024 * 1024, 1), it.PodRequest);
        Assert.Equal("gpua100", it.NodeSelector["agentpool"]);
    }

    [Theory]
    [InlineData("100m", "0.1")]
    [InlineData("1", "1000m")]
    [InlineData("1Gi", "1024Mi")]
    [InlineData("1e3", "1k")]
    public void Validate_RequestEqualToLimitInAnotherNotation_IsAccepted(string request, string limit)
    {
        var cpu = !request.EndsWith('i');
        var draft = cpu ? Valid with { RequestCpu = request, LimitCpu = limit } : Valid with { RequestMemory = request, LimitMemory = limit };

        Assert.True(InstanceTypeRules.Validate(draft).IsSuccess);
    }

    [Fact]
    public void Validate_ClusterResourceWithTinyMemory_PassesAzureRulesButNotStudioChecks()
    {
        var draft = Valid with { RequestMemory = "1024", LimitMemory = "2048" };

        Assert.True(InstanceTypeRules.Validate(draft, studioChecks: false).IsSuccess);
        Assert.False(InstanceTypeRules.Validate(draft).IsSuccess);
    }

    [Fact]
    public void Default_IsAzureMlsCurrentDefault_AndRoundTripsThroughADraft()
    {
        var d = InstanceType.Default;

        Assert.Equal(("defaultinstancetype", "100m", "2Gi", "2", "2Gi", true), (d.Name, d.RequestCpu, d.RequestMemory, d.LimitCpu, d.LimitMemory, d.IsImplicit));
        var again = InstanceTypeRules.Validate(InstanceTypeDraft.From(d)).Value;
        Assert.Equal((d.Requests, d.Limits), (again.Requests, again.Limits));
    }
}
