using System.Text.Json.Nodes;
using Studio.Sandbox.Simulation;

namespace Studio.Sandbox.Tests.Simulation;

public sealed class SchedulerFilterTests
{
    private static NodeState Node(string name, string cpu = "8", string memory = "32Gi", int gpus = 0, Dictionary<string, string>? labels = null, params Taint[] taints) => new(name)
    {
        Labels = labels ?? new Dictionary<string, string> { ["agentpool"] = "cpu" },
        Taints = [.. taints],
        Allocatable = new ResourceAmounts(Quantity.Milli(cpu), Quantity.Whole(memory), gpus, 110),
    };

    private static PodRequirements Pod(string json) => new(JsonNode.Parse(json)!.AsObject());

    private static string Requests(string cpu = "100m", string memory = "128Mi", int gpus = 0, string extraSpec = "")
    {
        var gpu = gpus > 0 ? $",\"nvidia.com/gpu\":\"{gpus}\"" : "";
        return "{\"metadata\":{\"name\":\"p\"},\"spec\":{" + extraSpec + "\"containers\":[{\"name\":\"c\",\"image\":\"x\",\"resources\":{\"requests\":{\"cpu\":\"" + cpu + "\",\"memory\":\"" + memory + "\"" + gpu + "}}}]}}";
    }

    [Theory]
    [InlineData("500m", "1Gi", 0, null)]
    [InlineData("9", "1Gi", 0, "Insufficient cpu")]
    [InlineData("1", "64Gi", 0, "Insufficient memory")]
    [InlineData("1", "1Gi", 1, "Insufficient nvidia.com/gpu")]
    [InlineData("16", "64Gi", 0, "Insufficient cpu|Insufficient memory")]
    public void ResourceFitReportsEveryInsufficientResource(string cpu, string memory, int gpus, string? expected)
    {
        var reasons = Scheduler.Filter(Node("n1"), Pod(Requests(cpu, memory, gpus)), null);
        Assert.Equal(expected, reasons is null ? null : string.Join('|', reasons));
    }

    [Fact]
    public void AFullNodeIsTooManyPods()
    {
        var node = Node("n1");
        node.Requested = new ResourceAmounts(0, 0, 0, 110);
        Assert.Equal(["Too many pods"], Scheduler.Filter(node, Pod(Requests()), null));
    }

    [Theory]
    [InlineData("""{"nodeSelector":{"agentpool":"gpu"}}""", false)]
    [InlineData("""{"nodeSelector":{"agentpool":"cpu"}}""", true)]
    [InlineData("""{"affinity":{"nodeAffinity":{"requiredDuringSchedulingIgnoredDuringExecution":{"nodeSelectorTerms":[{"matchExpressions":[{"key":"agentpool","operator":"In","values":["a","cpu"]}]}]}}}}""", true)]
    [InlineData("""{"affinity":{"nodeAffinity":{"requiredDuringSchedulingIgnoredDuringExecution":{"nodeSelectorTerms":[{"matchExpressions":[{"key":"agentpool","operator":"NotIn","values":["cpu"]}]}]}}}}""", false)]
    [InlineData("""{"affinity":{"nodeAffinity":{"requiredDuringSchedulingIgnoredDuringExecution":{"nodeSelectorTerms":[{"matchExpressions":[{"key":"gpu","operator":"Exists"}]}]}}}}""", false)]
    [InlineData("""{"affinity":{"nodeAffinity":{"requiredDuringSchedulingIgnoredDuringExecution":{"nodeSelectorTerms":[{"matchExpressions":[{"key":"gpu","operator":"DoesNotExist"}]}]}}}}""", true)]
    [InlineData("""{"affinity":{"nodeAffinity":{"requiredDuringSchedulingIgnoredDuringExecution":{"nodeSelectorTerms":[{"matchExpressions":[{"key":"cores","operator":"Gt","values":["16"]}]}]}}}}""", true)]
    [InlineData("""{"affinity":{"nodeAffinity":{"requiredDuringSchedulingIgnoredDuringExecution":{"nodeSelectorTerms":[{"matchExpressions":[{"key":"cores","operator":"Lt","values":["16"]}]}]}}}}""", false)]
    [InlineData("""{"affinity":{"nodeAffinity":{"requiredDuringSchedulingIgnoredDuringExecution":{"nodeSelectorTerms":[{"matchExpressions":[{"key":"gpu","operator":"Exists"}]},{"matchFields":[{"key":"metadata.name","operator":"In","values":["n1"]}]}]}}}}""", true)]
    public void NodeSelectorAndRequiredAffinityFollowTheOperators(string specJson, bool fits)
    {
        var spec = JsonNode.Parse(specJson)!.AsObject();
        var extra = string.Join("", spec.Select(kv => $"\"{kv.Key}\":{kv.Value!.ToJsonString()},"));
        var node = Node("n1", labels: new() { ["agentpool"] = "cpu", ["cores"] = "32" });
        var reasons = Scheduler.Filter(node, Pod(Requests(extraSpec: extra)), null);
        Assert.Equal(fits ? null : "node(s) didn't match Pod's node affinity/selector", reasons is null ? null : string.Join('|', reasons));
    }

    [Theory]
    [InlineData("NoSchedule", "", false)]
    [InlineData("NoExecute", "", false)]
    [InlineData("PreferNoSchedule", "", true)]
    [InlineData("NoSchedule", """{"key":"sku","operator":"Equal","value":"gpu","effect":"NoSchedule"}""", true)]
    [InlineData("NoSchedule", """{"key":"sku","operator":"Equal","value":"cpu","effect":"NoSchedule"}""", false)]
    [InlineData("NoExecute", """{"key":"sku","operator":"Exists"}""", true)]
    [InlineData("NoExecute", """{"operator":"Exists"}""", true)]
    [InlineData("NoExecute", """{"key":"sku","operator":"Exists","effect":"NoSchedule"}""", false)]
    public void TaintsNeedAMatchingToleration(string effect, string toleration, bool fits)
    {
        var extra = toleration.Length == 0 ? "" : $"\"tolerations\":[{toleration}],";
        var node = Node("n1", taints: new Taint("sku", "gpu", effect));
        var reasons = Scheduler.Filter(node, Pod(Requests(extraSpec: extra)), null);
        Assert.Equal(fits ? null : "node(s) had untolerated taint {sku: gpu}", reasons is null ? null : string.Join('|', reasons));
    }

    [Fact]
    public void CordonedAndNotReadyNodesAreFilteredWithTheirOwnReasons()
    {
        var cordoned = Node("n1");
        cordoned.Unschedulable = true;
        var notReady = Node("n2");
        notReady.Ready = false;
        Assert.Equal(["node(s) were unschedulable"], Scheduler.Filter(cordoned, Pod(Requests()), null));
        Assert.Equal(["node(s) had untolerated taint {node.kubernetes.io/not-ready: }"], Scheduler.Filter(notReady, Pod(Requests()), null));
    }

    [Theory]
    [InlineData("250m", 250)]
    [InlineData("2", 2000)]
    [InlineData("0.5", 500)]
    public void CpuQuantitiesAreMillicores(string q, long milli) => Assert.Equal(milli, Quantity.Milli(q));

    [Theory]
    [InlineData("128Mi", 134217728)]
    [InlineData("1G", 1000000000)]
    [InlineData("2Gi", 2147483648)]
    public void MemoryQuantitiesAreBytes(string q, long bytes) => Assert.Equal(bytes, Quantity.Whole(q));
}
