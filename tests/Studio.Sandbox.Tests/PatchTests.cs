using System.Net;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Studio.Sandbox.Tests;

public sealed class PatchTests(SandboxFixture sandbox)
{
    private async Task<string> CreatePodAsync(string name = "p")
    {
        var ns = await sandbox.NewNamespaceAsync();
        var pod = Pods.New(name, new Dictionary<string, string> { ["app"] = "web" });
        pod.Spec.Containers[0].Env = [new V1EnvVar { Name = "A", Value = "1" }, new V1EnvVar { Name = "B", Value = "2" }];
        pod.Spec.Containers.Add(new V1Container { Name = "sidecar", Image = "envoy:1" });
        await sandbox.Client.CoreV1.CreateNamespacedPodAsync(pod, ns);
        return ns;
    }

    [Fact]
    public async Task JsonMergePatch_SetsAndRemovesFields()
    {
        var ns = await CreatePodAsync();
        var patched = await sandbox.Client.CoreV1.PatchNamespacedPodAsync(
            new V1Patch("""{"metadata":{"labels":{"app":null,"tier":"front"}}}""", V1Patch.PatchType.MergePatch), "p", ns);
        Assert.Equal(new Dictionary<string, string> { ["tier"] = "front" }, patched.Metadata.Labels);
    }

    [Fact]
    public async Task JsonPatch_AppliesOperationsInOrder()
    {
        var ns = await CreatePodAsync();
        var patched = await sandbox.Client.CoreV1.PatchNamespacedPodAsync(new V1Patch("""
            [{"op":"add","path":"/metadata/annotations","value":{"a":"1"}},
             {"op":"replace","path":"/spec/containers/0/image","value":"nginx:2"},
             {"op":"remove","path":"/metadata/labels/app"}]
            """, V1Patch.PatchType.JsonPatch), "p", ns);
        Assert.Equal("1", patched.Metadata.Annotations["a"]);
        Assert.Equal("nginx:2", patched.Spec.Containers[0].Image);
        Assert.Null(patched.Metadata.Labels);
    }

    [Fact]
    public async Task JsonPatch_FailedTest_Returns422AndChangesNothing()
    {
        var ns = await CreatePodAsync();
        var e = await Assert.ThrowsAsync<HttpOperationException>(() => sandbox.Client.CoreV1.PatchNamespacedPodAsync(new V1Patch(
            """[{"op":"test","path":"/metadata/labels/app","value":"other"},{"op":"remove","path":"/metadata/labels"}]""", V1Patch.PatchType.JsonPatch), "p", ns));
        Assert.Equal((HttpStatusCode)422, e.Response.StatusCode);
        Assert.Equal("web", (await sandbox.Client.CoreV1.ReadNamespacedPodAsync("p", ns)).Metadata.Labels["app"]);
    }

    [Fact]
    public async Task StrategicMergePatch_MergesContainersAndEnvByName()
    {
        var ns = await CreatePodAsync();
        var patched = await sandbox.Client.CoreV1.PatchNamespacedPodAsync(new V1Patch("""
            {"spec":{"containers":[{"name":"main","image":"nginx:9","env":[{"name":"B","value":"20"},{"name":"C","value":"3"}]}]}}
            """, V1Patch.PatchType.StrategicMergePatch), "p", ns);
        Assert.Equal(["main", "sidecar"], patched.Spec.Containers.Select(c => c.Name));
        var main = patched.Spec.Containers[0];
        Assert.Equal("nginx:9", main.Image);
        Assert.Equal(["A=1", "B=20", "C=3"], main.Env.Select(v => v.Name + "=" + v.Value));
        Assert.Equal("envoy:1", patched.Spec.Containers[1].Image);
    }

    [Fact]
    public async Task StrategicMergePatch_DeleteDirectiveAndSetElementOrder_AreHonoured()
    {
        var ns = await CreatePodAsync();
        var patched = await sandbox.Client.CoreV1.PatchNamespacedPodAsync(new V1Patch("""
            {"spec":{"$setElementOrder/containers":[{"name":"main"},{"name":"sidecar"}],
                     "containers":[{"name":"main","env":[{"name":"A","$patch":"delete"}]}]}}
            """, V1Patch.PatchType.StrategicMergePatch), "p", ns);
        Assert.Equal(["B"], patched.Spec.Containers[0].Env.Select(v => v.Name));
    }

    [Fact]
    public async Task ServerSideApply_CreatesThenUpdates_AndRecordsManagedFields()
    {
        var ns = await sandbox.NewNamespaceAsync();
        const string Manifest = """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"cfg","labels":{"owner":"studio"}},"data":{"a":"1","b":"2"}}""";
        var created = await sandbox.Client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch(Manifest, V1Patch.PatchType.ApplyPatch), "cfg", ns, fieldManager: "studio");
        Assert.Equal("2", created.Data["b"]);
        var entry = Assert.Single(created.Metadata.ManagedFields);
        Assert.Equal(("studio", "Apply"), (entry.Manager, entry.Operation));

        // Re-applying without "b" removes it: the manager owned it and nobody else does.
        var updated = await sandbox.Client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch(
            """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"cfg"},"data":{"a":"10"}}""", V1Patch.PatchType.ApplyPatch), "cfg", ns, fieldManager: "studio");
        Assert.Equal(new Dictionary<string, string> { ["a"] = "10" }, updated.Data);
        Assert.Null(updated.Metadata.Labels);
    }

    [Fact]
    public async Task ServerSideApply_FieldOwnedByAnotherManager_ConflictsUnlessForced()
    {
        var ns = await sandbox.NewNamespaceAsync();
        var client = sandbox.Client;
        await client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch(
            """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"cfg"},"data":{"a":"1"}}""", V1Patch.PatchType.ApplyPatch), "cfg", ns, fieldManager: "one");
        var rival = new V1Patch("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"cfg"},"data":{"a":"2"}}""", V1Patch.PatchType.ApplyPatch);

        var e = await Assert.ThrowsAsync<HttpOperationException>(() => client.CoreV1.PatchNamespacedConfigMapAsync(rival, "cfg", ns, fieldManager: "two"));
        Assert.Equal(HttpStatusCode.Conflict, e.Response.StatusCode);
        Assert.Contains("conflict with \"one\"", (string?)JsonNode.Parse(e.Response.Content)!["message"], StringComparison.Ordinal);

        var forced = await client.CoreV1.PatchNamespacedConfigMapAsync(rival, "cfg", ns, fieldManager: "two", force: true);
        Assert.Equal("2", forced.Data["a"]);
        Assert.Contains(forced.Metadata.ManagedFields, m => m.Manager == "two");
    }

    [Fact]
    public async Task ServerSideApply_SameValueFromSecondManager_SharesOwnershipWithoutConflict()
    {
        var ns = await sandbox.NewNamespaceAsync();
        var body = new V1Patch("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"cfg"},"data":{"a":"1"}}""", V1Patch.PatchType.ApplyPatch);
        await sandbox.Client.CoreV1.PatchNamespacedConfigMapAsync(body, "cfg", ns, fieldManager: "one");
        var shared = await sandbox.Client.CoreV1.PatchNamespacedConfigMapAsync(body, "cfg", ns, fieldManager: "two");
        Assert.Equal(2, shared.Metadata.ManagedFields.Count);
    }

    [Fact]
    public async Task ServerSideApply_ManyAppliesCreatingOneObjectAtOnce_AllSucceed_NoneAnswersAlreadyExists()
    {
        var ns = await sandbox.NewNamespaceAsync();
        var body = new V1Patch("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"shared"},"data":{"a":"1"}}""", V1Patch.PatchType.ApplyPatch);

        var applies = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(() => sandbox.Client.CoreV1.PatchNamespacedConfigMapAsync(body, "shared", ns, fieldManager: "studio"))));

        Assert.All(applies, a => Assert.Equal("1", a.Data["a"]));
        Assert.Single((await sandbox.Client.CoreV1.ListNamespacedConfigMapAsync(ns)).Items, c => c.Metadata.Name == "shared");
    }

    [Fact]
    public async Task ServerSideApply_AcceptsYamlBody()
    {
        var ns = await sandbox.NewNamespaceAsync();
        var (code, obj) = await sandbox.SendAsync(HttpMethod.Patch, $"/api/v1/namespaces/{ns}/configmaps/y?fieldManager=yaml",
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: y\ndata:\n  n: \"5\"\n", "application/apply-patch+yaml");
        Assert.Equal(200, code);
        Assert.Equal("5", (string?)obj!["data"]!["n"]);
    }

    [Fact]
    public async Task Patch_MissingObject_Returns404()
    {
        var ns = await sandbox.NewNamespaceAsync();
        var e = await Assert.ThrowsAsync<HttpOperationException>(() => sandbox.Client.CoreV1.PatchNamespacedPodAsync(
            new V1Patch("{}", V1Patch.PatchType.MergePatch), "ghost", ns));
        Assert.Equal(HttpStatusCode.NotFound, e.Response.StatusCode);
    }

    [Fact]
    public async Task ConcurrentPatches_AllApply_WithDistinctResourceVersions()
    {
        var ns = await sandbox.NewNamespaceAsync();
        await sandbox.Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "hot" } }, ns);
        var results = await Task.WhenAll(Enumerable.Range(0, 24).Select(i => Task.Run(() =>
            sandbox.Client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch("{\"data\":{\"k" + i + "\":\"v\"}}", V1Patch.PatchType.MergePatch), "hot", ns))));
        Assert.Equal(24, results.Select(r => r.Metadata.ResourceVersion).Distinct().Count());
        Assert.Equal(24, (await sandbox.Client.CoreV1.ReadNamespacedConfigMapAsync("hot", ns)).Data.Count);
    }
}
