using Studio.Domain.InstanceTypes;
using Studio.Infrastructure.InstanceTypes;

namespace Studio.Infrastructure.Tests.InstanceTypes;

public sealed class InstanceTypeYamlTests
{
    [Fact]
    public void Parse_SeveralDocuments_KeepsQuantitiesAsWritten()
    {
        var items = InstanceTypeYaml.Parse("""
            apiVersion: amlarc.azureml.com/v1alpha1
            kind: InstanceType
            metadata: { name: a }
            spec:
              nodeSelector: { agentpool: cpu }
              resources:
                requests: { cpu: 0.5, memory: 1500Mi }
                limits: { cpu: 1, memory: 2Gi, nvidia.com/gpu: 1 }
            ---
            apiVersion: amlarc.azureml.com/v1alpha1
            kind: InstanceTypeList
            items:
              - metadata: { name: b }
                spec: { resources: { requests: { cpu: 100m, memory: 1Gi }, limits: { cpu: "1", memory: 1Gi } } }
            """).Value;

        Assert.Equal(["documents[0]", "documents[1].items[0]"], items.Select(i => i.Path));
        Assert.Equal(new InstanceTypeDraft("a", new Dictionary<string, string> { ["agentpool"] = "cpu" }, "0.5", "1500Mi", "1", "2Gi", "1", null) with { NodeSelector = items[0].Draft.NodeSelector }, items[0].Draft);
        Assert.Equal("cpu", items[0].Draft.NodeSelector!["agentpool"]);
        Assert.All(items, i => Assert.Empty(i.Problems));
    }

    public static TheoryData<string, string, string> FileErrors => new()
    {
        { "not: [valid", "yaml", "Not valid YAML" },
        { "apiVersion: v1\nkind: Pod\n", "apiVersion", "must be amlarc.azureml.com/v1alpha1" },
        { "apiVersion: amlarc.azureml.com/v1alpha1\nkind: Pod\n", "kind", "InstanceType or InstanceTypeList, not 'Pod'" },
        { "apiVersion: amlarc.azureml.com/v1alpha1\nkind: InstanceTypeList\n", "items", "needs items" },
        { "", "yaml", "Paste or upload" },
    };

    [Theory]
    [MemberData(nameof(FileErrors))]
    public void Parse_WrongFile_IsOneErrorNamingWhere(string yaml, string field, string message)
    {
        var error = Assert.Single(InstanceTypeYaml.Parse(yaml).Errors);

        Assert.Equal(field, error.Field);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_ItemProblems_CarryTheItemPathAndLine_AndDuplicatesAreRefused()
    {
        var items = InstanceTypeYaml.Parse("""
            apiVersion: amlarc.azureml.com/v1alpha1
            kind: InstanceTypeList
            items:
              - metadata: { name: ok }
                spec: { resources: { requests: { cpu: 1, memory: 1Gi }, limits: { cpu: 1, memory: 1Gi } } }
              - metadata: { name: bad, namespace: team }
                spec:
                  resources:
                    requests: { cpu: 1, memory: 1Gi }
                    limits:
                      cpu: 1
                      memory: [1Gi]
            """).Value;

        var problems = items[1].Problems;
        Assert.Equal(["items[1].metadata.namespace", "items[1].spec.resources.limits.memory"], problems.Select(p => p.Field));
        Assert.StartsWith("Line 6:", problems[0].Message, StringComparison.Ordinal);
        Assert.StartsWith("Line 12:", problems[1].Message, StringComparison.Ordinal);

        var duplicate = InstanceTypeYaml.Parse("apiVersion: amlarc.azureml.com/v1alpha1\nkind: InstanceTypeList\nitems:\n  - metadata: { name: x }\n  - metadata: { name: x }\n");
        Assert.Contains("appears 2 times", Assert.Single(duplicate.Errors).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Export_ThenParse_RoundTrips()
    {
        var a = InstanceTypeRules.Validate(new InstanceTypeDraft("a", new Dictionary<string, string> { ["agentpool"] = "gpua100" }, "500m", "1500Mi", "2", "4Gi", "1")).Value;
        var b = InstanceTypeRules.Validate(new InstanceTypeDraft("b", null, "1", "1Gi", "1", "1Gi")).Value;

        var single = InstanceTypeYaml.Parse(InstanceTypeManifest.ToYaml([a])).Value;
        var list = InstanceTypeYaml.Parse(InstanceTypeManifest.ToYaml([a, b])).Value;

        Assert.Equal(("500m", "1500Mi", "2", "4Gi", "1"), (single[0].Draft.RequestCpu, single[0].Draft.RequestMemory, single[0].Draft.LimitCpu, single[0].Draft.LimitMemory, single[0].Draft.LimitGpu));
        Assert.Equal(["a", "b"], list.Select(i => i.Draft.Name));
        Assert.Equal(a.Limits, InstanceTypeRules.Validate(list[0].Draft).Value.Limits);
    }
}
