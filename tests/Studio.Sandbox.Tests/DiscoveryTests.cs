using k8s;

namespace Studio.Sandbox.Tests;

public sealed class DiscoveryTests(SandboxFixture sandbox)
{
    [Fact]
    public async Task Version_ReportsAKubernetesVersion()
    {
        var (code, version) = await sandbox.SendAsync(HttpMethod.Get, "/version");
        Assert.Equal(200, code);
        Assert.Equal("1", (string?)version!["major"]);
        Assert.StartsWith("v1.", (string?)version["gitVersion"], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/api/v1", "pods", "Pod", true, "po")]
    [InlineData("/api/v1", "nodes", "Node", false, "no")]
    [InlineData("/api/v1", "namespaces", "Namespace", false, "ns")]
    [InlineData("/api/v1", "services", "Service", true, "svc")]
    [InlineData("/api/v1", "configmaps", "ConfigMap", true, "cm")]
    [InlineData("/api/v1", "events", "Event", true, "ev")]
    [InlineData("/apis/apps/v1", "deployments", "Deployment", true, "deploy")]
    [InlineData("/apis/apps/v1", "replicasets", "ReplicaSet", true, "rs")]
    [InlineData("/apis/apiextensions.k8s.io/v1", "customresourcedefinitions", "CustomResourceDefinition", false, "crd")]
    public async Task ResourceList_HasKindScopeVerbsAndShortNames(string path, string plural, string kind, bool namespaced, string shortName)
    {
        var (_, list) = await sandbox.SendAsync(HttpMethod.Get, path);
        var r = list!["resources"]!.AsArray().Single(x => (string?)x!["name"] == plural)!;
        Assert.Equal(kind, (string?)r["kind"]);
        Assert.Equal(namespaced, (bool)r["namespaced"]!);
        Assert.Contains(shortName, r["shortNames"]!.AsArray().Select(s => (string?)s));
        Assert.Equal(["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"], r["verbs"]!.AsArray().Select(v => (string?)v));
    }

    [Fact]
    public async Task Subresources_AreListed()
    {
        var (_, core) = await sandbox.SendAsync(HttpMethod.Get, "/api/v1");
        var names = core!["resources"]!.AsArray().Select(r => (string?)r!["name"]).ToList();
        Assert.Contains("pods/status", names);
        Assert.Contains("pods/log", names);
        var (_, apps) = await sandbox.SendAsync(HttpMethod.Get, "/apis/apps/v1");
        var scale = apps!["resources"]!.AsArray().Single(r => (string?)r!["name"] == "deployments/scale")!;
        Assert.Equal("Scale", (string?)scale["kind"]);
    }

    [Fact]
    public async Task ApiGroupList_HasEveryServedGroupWithPreferredVersion()
    {
        var (_, groups) = await sandbox.SendAsync(HttpMethod.Get, "/apis");
        var byName = groups!["groups"]!.AsArray().ToDictionary(g => (string)g!["name"]!, g => (string?)g!["preferredVersion"]!["groupVersion"]);
        Assert.Equal("apps/v1", byName["apps"]);
        Assert.Equal("batch/v1", byName["batch"]);
        Assert.Equal("autoscaling/v2", byName["autoscaling"]);
        Assert.Equal("rbac.authorization.k8s.io/v1", byName["rbac.authorization.k8s.io"]);
        Assert.Equal("scheduling.k8s.io/v1", byName["scheduling.k8s.io"]);
        Assert.Equal("events.k8s.io/v1", byName["events.k8s.io"]);
        var (_, api) = await sandbox.SendAsync(HttpMethod.Get, "/api");
        Assert.Equal("v1", (string?)api!["versions"]![0]);
    }

    [Fact]
    public async Task OpenApiV3_IndexesEveryGroupVersion_WithPatchOperationsTaggedByKind()
    {
        var (_, index) = await sandbox.SendAsync(HttpMethod.Get, "/openapi/v3");
        var paths = index!["paths"]!.AsObject();
        Assert.True(paths.ContainsKey("api/v1"));
        Assert.True(paths.ContainsKey("apis/apps/v1"));
        var url = (string)paths["apis/apps/v1"]!["serverRelativeURL"]!;
        var (code, doc) = await sandbox.SendAsync(HttpMethod.Get, url);
        Assert.Equal(200, code);
        var patch = doc!["paths"]!["/apis/apps/v1/namespaces/{namespace}/deployments/{name}"]!["patch"]!;
        Assert.Equal("Deployment", (string?)patch["x-kubernetes-group-version-kind"]!["kind"]);
        Assert.Contains(patch["parameters"]!.AsArray(), p => (string?)p!["name"] == "fieldValidation");
    }

    [Fact]
    public async Task UnknownPath_IsNotFoundStatus()
    {
        var (code, status) = await sandbox.SendAsync(HttpMethod.Get, "/apis/nope.example.com/v1/things");
        Assert.Equal(404, code);
        Assert.Equal("Status", (string?)status!["kind"]);
        Assert.Equal("NotFound", (string?)status["reason"]);
    }

    [Fact]
    public async Task Kubeconfig_HasCurrentContextAndServer()
    {
        var yaml = sandbox.Server.CreateKubeconfigYaml("lab");
        Assert.Contains("current-context: lab", yaml, StringComparison.Ordinal);
        Assert.Contains("server: " + sandbox.Server.BaseAddress.ToString().TrimEnd('/'), yaml, StringComparison.Ordinal);
        Assert.Equal("127.0.0.1", sandbox.Server.BaseAddress.Host);
    }

    [Fact]
    public async Task SelfSubjectAccessReview_IsAlwaysAllowed()
    {
        var review = await sandbox.Client.AuthorizationV1.CreateSelfSubjectAccessReviewAsync(new k8s.Models.V1SelfSubjectAccessReview
        {
            Spec = new k8s.Models.V1SelfSubjectAccessReviewSpec
            {
                ResourceAttributes = new k8s.Models.V1ResourceAttributes { Verb = "create", Resource = "pods", NamespaceProperty = "default" },
            },
        });
        Assert.True(review.Status.Allowed);
    }

    [Fact]
    public async Task AggregatedDiscovery_IsServedWhenAskedFor()
    {
        var (code, list) = await sandbox.SendAsync(HttpMethod.Get, "/apis",
            accept: "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json");
        Assert.Equal(200, code);
        Assert.Equal("APIGroupDiscoveryList", (string?)list!["kind"]);
        var apps = list["items"]!.AsArray().Single(i => (string?)i!["metadata"]!["name"] == "apps")!;
        var deployments = apps["versions"]![0]!["resources"]!.AsArray().Single(r => (string?)r!["resource"] == "deployments")!;
        Assert.Equal("Namespaced", (string?)deployments["scope"]);
        Assert.Equal("Deployment", (string?)deployments["responseKind"]!["kind"]);
        Assert.Contains(deployments["subresources"]!.AsArray(), s => (string?)s!["subresource"] == "scale");

        var (_, core) = await sandbox.SendAsync(HttpMethod.Get, "/api", accept: "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList");
        var pods = core!["items"]![0]!["versions"]![0]!["resources"]!.AsArray().Single(r => (string?)r!["resource"] == "pods")!;
        Assert.Equal("po", (string?)pods["shortNames"]![0]);
    }
}
