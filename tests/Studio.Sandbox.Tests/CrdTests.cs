using System.Net;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Studio.Sandbox.Tests;

public sealed class CrdTests(SandboxFixture sandbox)
{
    private static string WidgetCrd(string group) => $$$"""
        {"apiVersion":"apiextensions.k8s.io/v1","kind":"CustomResourceDefinition",
         "metadata":{"name":"widgets.{{{group}}}"},
         "spec":{"group":"{{{group}}}","scope":"Namespaced",
           "names":{"plural":"widgets","singular":"widget","kind":"Widget","shortNames":["wd"]},
           "versions":[
             {"name":"v1","served":true,"storage":true,"subresources":{"status":{},"scale":{"specReplicasPath":".spec.replicas","statusReplicasPath":".status.replicas"} },
              "additionalPrinterColumns":[{"name":"Size","type":"string","jsonPath":".spec.size"},{"name":"Replicas","type":"integer","jsonPath":".spec.replicas"}],
              "schema":{"openAPIV3Schema":{"type":"object","properties":{
                 "spec":{"type":"object","required":["size"],"properties":{
                   "size":{"type":"string","enum":["small","large"]},
                   "replicas":{"type":"integer","minimum":0,"maximum":10},
                   "owner":{"type":"string","pattern":"^[a-z]+$"},
                   "ports":{"type":"array","items":{"type":"object","required":["port"],"properties":{"port":{"type":"integer"} } } }
                   } },
                 "status":{"type":"object","properties":{"phase":{"type":"string"},"replicas":{"type":"integer"} } } } } } },
             {"name":"v2","served":true,"storage":false,
              "schema":{"openAPIV3Schema":{"type":"object","x-kubernetes-preserve-unknown-fields":true} } }]} }
        """;

    private async Task<string> CreateCrdAsync()
    {
        var group = "g" + Guid.NewGuid().ToString("N")[..8] + ".example.com";
        var (code, body) = await sandbox.SendAsync(HttpMethod.Post, "/apis/apiextensions.k8s.io/v1/customresourcedefinitions", WidgetCrd(group));
        Assert.True(code == 201, body?.ToJsonString());
        return group;
    }

    [Fact]
    public async Task Crd_Create_ServesCustomResourcesInDiscoveryAndCrud_ThenDeleteRemovesThem()
    {
        var group = await CreateCrdAsync();
        var ns = await sandbox.NewNamespaceAsync();
        var (_, resources) = await sandbox.SendAsync(HttpMethod.Get, $"/apis/{group}/v1");
        var widgets = resources!["resources"]!.AsArray().Single(r => (string?)r!["name"] == "widgets")!;
        Assert.True((bool)widgets["namespaced"]!);
        Assert.Equal("wd", (string?)widgets["shortNames"]![0]);
        Assert.Contains(resources["resources"]!.AsArray(), r => (string?)r!["name"] == "widgets/status");

        var client = sandbox.Client;
        var created = await client.CustomObjects.CreateNamespacedCustomObjectAsync(
            JsonNode.Parse("""{"apiVersion":"GROUP/v1","kind":"Widget","metadata":{"name":"w1"},"spec":{"size":"small","replicas":2} }""".Replace("GROUP", group, StringComparison.Ordinal))!,
            group, "v1", ns, "widgets");
        Assert.NotNull(created);

        var (_, viaV2) = await sandbox.SendAsync(HttpMethod.Get, $"/apis/{group}/v2/namespaces/{ns}/widgets/w1");
        Assert.Equal(group + "/v2", (string?)viaV2!["apiVersion"]);

        var (_, table) = await sandbox.SendAsync(HttpMethod.Get, $"/apis/{group}/v1/namespaces/{ns}/widgets", accept: "application/json;as=Table;v=v1;g=meta.k8s.io");
        Assert.Equal(["Name", "Size", "Replicas"], table!["columnDefinitions"]!.AsArray().Select(c => (string?)c!["name"]));
        Assert.Equal(["w1", "small", "2"], table["rows"]![0]!["cells"]!.AsArray().Select(c => c!.ToString()));

        await client.ApiextensionsV1.DeleteCustomResourceDefinitionAsync("widgets." + group);
        Assert.Equal(404, (await sandbox.SendAsync(HttpMethod.Get, $"/apis/{group}/v1/namespaces/{ns}/widgets/w1")).Code);
        Assert.Equal(0, sandbox.Server.Cluster.Store.Count("widgets." + group));
        Assert.Equal(404, (await sandbox.SendAsync(HttpMethod.Get, $"/apis/{group}/v1")).Code);
    }

    [Fact]
    public async Task Crd_SchemaViolations_Return422WithPreciseFieldPaths_AndStoreNothing()
    {
        var group = await CreateCrdAsync();
        var ns = await sandbox.NewNamespaceAsync();
        var (code, status) = await sandbox.SendAsync(HttpMethod.Post, $"/apis/{group}/v1/namespaces/{ns}/widgets", $$$"""
            {"apiVersion":"{{{group}}}/v1","kind":"Widget","metadata":{"name":"bad"},
             "spec":{"size":"huge","replicas":"two","owner":"Bob1","ports":[{"port":80},{"name":"x"}]} }
            """);
        Assert.Equal(422, code);
        Assert.Equal("Invalid", (string?)status!["reason"]);
        var fields = status["details"]!["causes"]!.AsArray().Select(c => (string?)c!["field"]).Order().ToList();
        Assert.Equal(["spec.owner", "spec.ports[1].port", "spec.replicas", "spec.size"], fields);
        Assert.Contains("must be of type integer", status["message"]!.ToString(), StringComparison.Ordinal);
        Assert.Equal(404, (await sandbox.SendAsync(HttpMethod.Get, $"/apis/{group}/v1/namespaces/{ns}/widgets/bad")).Code);

        var (missingCode, missing) = await sandbox.SendAsync(HttpMethod.Post, $"/apis/{group}/v1/namespaces/{ns}/widgets",
            $$$"""{"apiVersion":"{{{group}}}/v1","kind":"Widget","metadata":{"name":"bad"},"spec":{"replicas":11} }""");
        Assert.Equal(422, missingCode);
        Assert.Equal(["spec.replicas", "spec.size"], missing!["details"]!["causes"]!.AsArray().Select(c => (string?)c!["field"]).Order());
    }

    [Fact]
    public async Task Crd_UnknownFields_ArePrunedOrRejectedWithStrictValidation()
    {
        var group = await CreateCrdAsync();
        var ns = await sandbox.NewNamespaceAsync();
        var body = $$$"""{"apiVersion":"{{{group}}}/v1","kind":"Widget","metadata":{"name":"w"},"spec":{"size":"small","colour":"red"} }""";
        var (strictCode, strict) = await sandbox.SendAsync(HttpMethod.Post, $"/apis/{group}/v1/namespaces/{ns}/widgets?fieldValidation=Strict", body);
        Assert.Equal(400, strictCode);
        Assert.Contains("unknown field \"spec.colour\"", (string?)strict!["message"], StringComparison.Ordinal);

        var (code, created) = await sandbox.SendAsync(HttpMethod.Post, $"/apis/{group}/v1/namespaces/{ns}/widgets", body);
        Assert.Equal(201, code);
        Assert.Null(created!["spec"]!["colour"]);
    }

    [Fact]
    public async Task Crd_StatusSubresource_MainUpdateIgnoresStatusAndStatusUpdateIgnoresSpec()
    {
        var group = await CreateCrdAsync();
        var ns = await sandbox.NewNamespaceAsync();
        var path = $"/apis/{group}/v1/namespaces/{ns}/widgets";
        await sandbox.SendAsync(HttpMethod.Post, path, $$$"""{"apiVersion":"{{{group}}}/v1","kind":"Widget","metadata":{"name":"w"},"spec":{"size":"small"},"status":{"phase":"Ignored"} }""");
        var (_, afterCreate) = await sandbox.SendAsync(HttpMethod.Get, path + "/w");
        Assert.Null(afterCreate!["status"]);

        var (_, statusPatched) = await sandbox.SendAsync(HttpMethod.Patch, path + "/w/status", """{"status":{"phase":"Ready"},"spec":{"size":"large"}}""", "application/merge-patch+json");
        Assert.Equal("Ready", (string?)statusPatched!["status"]!["phase"]);
        Assert.Equal("small", (string?)statusPatched["spec"]!["size"]);
        Assert.Equal(1, (long)statusPatched["metadata"]!["generation"]!);

        var (_, mainPatched) = await sandbox.SendAsync(HttpMethod.Patch, path + "/w", """{"status":{"phase":"Hacked"},"spec":{"size":"large"}}""", "application/merge-patch+json");
        Assert.Equal("Ready", (string?)mainPatched!["status"]!["phase"]);
        Assert.Equal("large", (string?)mainPatched["spec"]!["size"]);
        Assert.Equal(2, (long)mainPatched["metadata"]!["generation"]!);
    }

    [Fact]
    public async Task Crd_ScaleSubresource_UsesSpecReplicasPath()
    {
        var group = await CreateCrdAsync();
        var ns = await sandbox.NewNamespaceAsync();
        var path = $"/apis/{group}/v1/namespaces/{ns}/widgets";
        await sandbox.SendAsync(HttpMethod.Post, path, $$$"""{"apiVersion":"{{{group}}}/v1","kind":"Widget","metadata":{"name":"w"},"spec":{"size":"small","replicas":1} }""");
        var (code, scale) = await sandbox.SendAsync(HttpMethod.Patch, path + "/w/scale", """{"spec":{"replicas":4}}""", "application/merge-patch+json");
        Assert.Equal(200, code);
        Assert.Equal(4, (int)scale!["spec"]!["replicas"]!);
        var (_, widget) = await sandbox.SendAsync(HttpMethod.Get, path + "/w");
        Assert.Equal(4, (int)widget!["spec"]!["replicas"]!);
    }

    [Fact]
    public async Task InstanceTypeCrd_ClusterScoped_WorksThroughCustomObjectsApi()
    {
        var client = sandbox.Client;
        var crd = KubernetesJson.Deserialize<V1CustomResourceDefinition>("""
            {"apiVersion":"apiextensions.k8s.io/v1","kind":"CustomResourceDefinition","metadata":{"name":"instancetypes.amlarc.azureml.com"},
             "spec":{"group":"amlarc.azureml.com","scope":"Cluster","names":{"plural":"instancetypes","singular":"instancetype","kind":"InstanceType","listKind":"InstanceTypeList"},
               "versions":[{"name":"v1alpha1","served":true,"storage":true,"schema":{"openAPIV3Schema":{"type":"object","properties":{"spec":{"type":"object",
                 "properties":{"nodeSelector":{"type":"object","additionalProperties":{"type":"string"}},"resources":{"type":"object","x-kubernetes-preserve-unknown-fields":true}}}}}}}]}}
            """);
        try
        {
            await client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(crd);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.Conflict)
        {
            // Another test (kubectl) created it first.
        }

        var name = "it-" + Guid.NewGuid().ToString("N")[..6];
        await client.CustomObjects.CreateClusterCustomObjectAsync(JsonNode.Parse($$$"""
            {"apiVersion":"amlarc.azureml.com/v1alpha1","kind":"InstanceType","metadata":{"name":"{{{name}}}"},
             "spec":{"nodeSelector":{"agentpool":"gput4"},"resources":{"limits":{"cpu":"4","memory":"16Gi","nvidia.com/gpu":1} } }
             }
            """)!, "amlarc.azureml.com", "v1alpha1", "instancetypes");
        var (_, list) = await sandbox.SendAsync(HttpMethod.Get, "/apis/amlarc.azureml.com/v1alpha1/instancetypes");
        Assert.Equal("InstanceTypeList", (string?)list!["kind"]);
        Assert.Contains(list["items"]!.AsArray(), i => (string?)i!["metadata"]!["name"] == name);
        await client.CustomObjects.DeleteClusterCustomObjectAsync("amlarc.azureml.com", "v1alpha1", "instancetypes", name);
    }

    [Fact]
    public async Task CrdDelete_WaitsForCustomResourceFinalizers_AndRefusesNewResources()
    {
        var group = await CreateCrdAsync();
        var ns = await sandbox.NewNamespaceAsync();
        var path = $"/apis/{group}/v1/namespaces/{ns}/widgets";
        string Widget(string name, string finalizers) =>
            "{\"apiVersion\":\"" + group + "/v1\",\"kind\":\"Widget\",\"metadata\":{\"name\":\"" + name + "\",\"finalizers\":[" + finalizers + "]},\"spec\":{\"size\":\"small\"}}";
        Assert.Equal(201, (await sandbox.SendAsync(HttpMethod.Post, path, Widget("held", "\"example.com/hold\""))).Code);
        Assert.Equal(201, (await sandbox.SendAsync(HttpMethod.Post, path, Widget("free", ""))).Code);

        await sandbox.Client.ApiextensionsV1.DeleteCustomResourceDefinitionAsync("widgets." + group);
        var crd = await sandbox.Client.ApiextensionsV1.ReadCustomResourceDefinitionAsync("widgets." + group);
        Assert.Contains(crd.Status.Conditions, c => c.Type == "Terminating" && c.Status == "True");
        Assert.Equal(404, (await sandbox.SendAsync(HttpMethod.Get, path + "/free")).Code);
        Assert.Equal(405, (await sandbox.SendAsync(HttpMethod.Post, path, Widget("late", ""))).Code);

        await sandbox.SendAsync(HttpMethod.Patch, path + "/held", """{"metadata":{"finalizers":null}}""", "application/merge-patch+json");
        Assert.Equal(404, (await sandbox.SendAsync(HttpMethod.Get, "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets." + group)).Code);
        Assert.Equal(404, (await sandbox.SendAsync(HttpMethod.Get, $"/apis/{group}/v1")).Code);
    }
}
