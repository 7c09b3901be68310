using System.Net;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Studio.Sandbox.Tests;

public sealed class CrudTests(SandboxFixture sandbox)
{
    public static TheoryData<string, string, string> Kinds => new()
    {
        { "api/v1", "configmaps", """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"x"},"data":{"a":"1"}}""" },
        { "api/v1", "secrets", """{"apiVersion":"v1","kind":"Secret","metadata":{"name":"x"},"stringData":{"a":"1"}}""" },
        { "api/v1", "services", """{"apiVersion":"v1","kind":"Service","metadata":{"name":"x"},"spec":{"selector":{"app":"x"},"ports":[{"port":80}]}}""" },
        { "api/v1", "endpoints", """{"apiVersion":"v1","kind":"Endpoints","metadata":{"name":"x"},"subsets":[{"addresses":[{"ip":"10.0.0.1"}],"ports":[{"port":80}]}]}""" },
        { "api/v1", "events", """{"apiVersion":"v1","kind":"Event","metadata":{"name":"x"},"involvedObject":{"kind":"Pod","name":"p"},"reason":"Test","message":"m","type":"Normal"}""" },
        { "api/v1", "serviceaccounts", """{"apiVersion":"v1","kind":"ServiceAccount","metadata":{"name":"x"}}""" },
        { "api/v1", "resourcequotas", """{"apiVersion":"v1","kind":"ResourceQuota","metadata":{"name":"x"},"spec":{"hard":{"pods":"10"}}}""" },
        { "api/v1", "limitranges", """{"apiVersion":"v1","kind":"LimitRange","metadata":{"name":"x"},"spec":{"limits":[{"type":"Container","default":{"cpu":"1"}}]}}""" },
        { "api/v1", "persistentvolumeclaims", """{"apiVersion":"v1","kind":"PersistentVolumeClaim","metadata":{"name":"x"},"spec":{"accessModes":["ReadWriteOnce"],"resources":{"requests":{"storage":"1Gi"}}}}""" },
        { "api/v1", "pods", """{"apiVersion":"v1","kind":"Pod","metadata":{"name":"x"},"spec":{"containers":[{"name":"c","image":"busybox"}]}}""" },
        { "apis/apps/v1", "deployments", """{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"x"},"spec":{"selector":{"matchLabels":{"a":"b"}},"template":{"metadata":{"labels":{"a":"b"}},"spec":{"containers":[{"name":"c","image":"busybox"}]}}}}""" },
        { "apis/apps/v1", "replicasets", """{"apiVersion":"apps/v1","kind":"ReplicaSet","metadata":{"name":"x"},"spec":{"selector":{"matchLabels":{"a":"b"}},"template":{"metadata":{"labels":{"a":"b"}},"spec":{"containers":[{"name":"c","image":"busybox"}]}}}}""" },
        { "apis/batch/v1", "jobs", """{"apiVersion":"batch/v1","kind":"Job","metadata":{"name":"x"},"spec":{"template":{"spec":{"restartPolicy":"Never","containers":[{"name":"c","image":"busybox"}]}}}}""" },
        { "apis/autoscaling/v2", "horizontalpodautoscalers", """{"apiVersion":"autoscaling/v2","kind":"HorizontalPodAutoscaler","metadata":{"name":"x"},"spec":{"scaleTargetRef":{"apiVersion":"apps/v1","kind":"Deployment","name":"x"},"maxReplicas":3}}""" },
        { "apis/rbac.authorization.k8s.io/v1", "roles", """{"apiVersion":"rbac.authorization.k8s.io/v1","kind":"Role","metadata":{"name":"x"},"rules":[{"apiGroups":[""],"resources":["pods"],"verbs":["get"]}]}""" },
        { "apis/rbac.authorization.k8s.io/v1", "rolebindings", """{"apiVersion":"rbac.authorization.k8s.io/v1","kind":"RoleBinding","metadata":{"name":"x"},"roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"Role","name":"x"},"subjects":[{"kind":"User","name":"u"}]}""" },
        { "apis/events.k8s.io/v1", "events", """{"apiVersion":"events.k8s.io/v1","kind":"Event","metadata":{"name":"x"},"eventTime":"2026-01-01T00:00:00.000000Z","reportingController":"c","reportingInstance":"i","action":"A","reason":"R","type":"Normal","regarding":{"kind":"Pod","name":"p"}}""" },
    };

    public static TheoryData<string, string, string> ClusterKinds => new()
    {
        { "apis/rbac.authorization.k8s.io/v1", "clusterroles", """{"apiVersion":"rbac.authorization.k8s.io/v1","kind":"ClusterRole","metadata":{"name":"NAME"},"rules":[]}""" },
        { "apis/rbac.authorization.k8s.io/v1", "clusterrolebindings", """{"apiVersion":"rbac.authorization.k8s.io/v1","kind":"ClusterRoleBinding","metadata":{"name":"NAME"},"roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"ClusterRole","name":"x"}}""" },
        { "apis/scheduling.k8s.io/v1", "priorityclasses", """{"apiVersion":"scheduling.k8s.io/v1","kind":"PriorityClass","metadata":{"name":"NAME"},"value":1000}""" },
        { "api/v1", "nodes", """{"apiVersion":"v1","kind":"Node","metadata":{"name":"NAME"},"status":{"capacity":{"cpu":"2"}}}""" },
    };

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task NamespacedKind_CreateGetUpdateListDelete(string groupVersion, string plural, string manifest)
    {
        var ns = await sandbox.NewNamespaceAsync();
        var collection = $"/{groupVersion}/namespaces/{ns}/{plural}";

        var (code, created) = await sandbox.SendAsync(HttpMethod.Post, collection, manifest);
        Assert.Equal(201, code);
        Assert.False(string.IsNullOrEmpty((string?)created!["metadata"]!["uid"]));

        var (getCode, got) = await sandbox.SendAsync(HttpMethod.Get, collection + "/x");
        Assert.Equal(200, getCode);
        got!["metadata"]!["labels"] = new JsonObject { ["changed"] = "yes" };
        var (putCode, updated) = await sandbox.SendAsync(HttpMethod.Put, collection + "/x", got.ToJsonString());
        Assert.Equal(200, putCode);
        Assert.Equal("yes", (string?)updated!["metadata"]!["labels"]!["changed"]);
        Assert.NotEqual((string?)got["metadata"]!["resourceVersion"], (string?)updated["metadata"]!["resourceVersion"]);

        var (listCode, list) = await sandbox.SendAsync(HttpMethod.Get, collection);
        Assert.Equal(200, listCode);
        Assert.Single(list!["items"]!.AsArray(), i => (string?)i!["metadata"]!["name"] == "x");

        var (deleteCode, _) = await sandbox.SendAsync(HttpMethod.Delete, collection + "/x");
        Assert.Equal(200, deleteCode);
        Assert.Equal(404, (await sandbox.SendAsync(HttpMethod.Get, collection + "/x")).Code);
    }

    [Theory]
    [MemberData(nameof(ClusterKinds))]
    public async Task ClusterKind_CreateGetUpdateListDelete(string groupVersion, string plural, string manifest)
    {
        var name = "c-" + Guid.NewGuid().ToString("N")[..8];
        var collection = $"/{groupVersion}/{plural}";
        var (code, _) = await sandbox.SendAsync(HttpMethod.Post, collection, manifest.Replace("NAME", name, StringComparison.Ordinal));
        Assert.Equal(201, code);

        var (_, got) = await sandbox.SendAsync(HttpMethod.Get, $"{collection}/{name}");
        got!["metadata"]!["annotations"] = new JsonObject { ["a"] = "b" };
        var (putCode, _) = await sandbox.SendAsync(HttpMethod.Put, $"{collection}/{name}", got.ToJsonString());
        Assert.Equal(200, putCode);
        var (_, list) = await sandbox.SendAsync(HttpMethod.Get, collection);
        Assert.Contains(list!["items"]!.AsArray(), i => (string?)i!["metadata"]!["name"] == name);
        Assert.Equal(200, (await sandbox.SendAsync(HttpMethod.Delete, $"{collection}/{name}")).Code);
        Assert.Equal(404, (await sandbox.SendAsync(HttpMethod.Get, $"{collection}/{name}")).Code);
    }

    [Fact]
    public async Task Pod_CrudWithKubernetesClient_RoundTripsTypedModel()
    {
        var ns = await sandbox.NewNamespaceAsync();
        var client = sandbox.Client;
        var created = await client.CoreV1.CreateNamespacedPodAsync(Pods.New("web", new Dictionary<string, string> { ["app"] = "web" }), ns);
        Assert.Equal("Pending", created.Status.Phase);
        Assert.Equal(1, created.Metadata.Generation);

        var read = await client.CoreV1.ReadNamespacedPodAsync("web", ns);
        read.Metadata.Labels["tier"] = "front";
        var replaced = await client.CoreV1.ReplaceNamespacedPodAsync(read, "web", ns);
        Assert.Equal("front", replaced.Metadata.Labels["tier"]);
        Assert.Equal(1, replaced.Metadata.Generation);

        var list = await client.CoreV1.ListNamespacedPodAsync(ns);
        Assert.Single(list.Items);
        Assert.False(string.IsNullOrEmpty(list.Metadata.ResourceVersion));

        await client.CoreV1.DeleteNamespacedPodAsync("web", ns);
        var e = await Assert.ThrowsAsync<HttpOperationException>(() => client.CoreV1.ReadNamespacedPodAsync("web", ns));
        Assert.Equal(HttpStatusCode.NotFound, e.Response.StatusCode);
        Assert.Equal("pods \"web\" not found", (string?)JsonNode.Parse(e.Response.Content)!["message"]);
    }

    [Fact]
    public async Task Create_WithGenerateName_AssignsDistinctNames()
    {
        var ns = await sandbox.NewNamespaceAsync();
        var pod = Pods.New("");
        pod.Metadata.Name = null;
        pod.Metadata.GenerateName = "worker-";
        var a = await sandbox.Client.CoreV1.CreateNamespacedPodAsync(pod, ns);
        var b = await sandbox.Client.CoreV1.CreateNamespacedPodAsync(pod, ns);
        Assert.StartsWith("worker-", a.Metadata.Name, StringComparison.Ordinal);
        Assert.NotEqual(a.Metadata.Name, b.Metadata.Name);
    }

    [Fact]
    public async Task Create_DryRunAll_ReturnsObjectButStoresNothing()
    {
        var ns = await sandbox.NewNamespaceAsync();
        var result = await sandbox.Client.CoreV1.CreateNamespacedPodAsync(Pods.New("dry"), ns, dryRun: "All");
        Assert.Equal("dry", result.Metadata.Name);
        Assert.Empty((await sandbox.Client.CoreV1.ListNamespacedPodAsync(ns)).Items);
    }

    [Fact]
    public async Task Create_Twice_Returns409AlreadyExists()
    {
        var ns = await sandbox.NewNamespaceAsync();
        await sandbox.Client.CoreV1.CreateNamespacedPodAsync(Pods.New("dup"), ns);
        var (code, status) = await sandbox.SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{ns}/pods",
            """{"apiVersion":"v1","kind":"Pod","metadata":{"name":"dup"},"spec":{"containers":[{"name":"c","image":"i"}]}}""");
        Assert.Equal(409, code);
        Assert.Equal("AlreadyExists", (string?)status!["reason"]);
        Assert.Equal("Status", (string?)status["kind"]);
    }

    [Fact]
    public async Task Create_InNamespaceThatDoesNotExist_Returns404()
    {
        var (code, status) = await sandbox.SendAsync(HttpMethod.Post, "/api/v1/namespaces/nope-nope/configmaps",
            """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"a"}}""");
        Assert.Equal(404, code);
        Assert.Equal("namespaces \"nope-nope\" not found", (string?)status!["message"]);
    }

    [Fact]
    public async Task Update_WithStaleResourceVersion_Returns409Conflict()
    {
        var ns = await sandbox.NewNamespaceAsync();
        var client = sandbox.Client;
        var first = await client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "cm" }, Data = new Dictionary<string, string> { ["a"] = "1" } }, ns);
        var stale = await client.CoreV1.ReadNamespacedConfigMapAsync("cm", ns);
        first.Data["a"] = "2";
        await client.CoreV1.ReplaceNamespacedConfigMapAsync(first, "cm", ns);

        stale.Data["a"] = "3";
        var e = await Assert.ThrowsAsync<HttpOperationException>(() => client.CoreV1.ReplaceNamespacedConfigMapAsync(stale, "cm", ns));
        Assert.Equal(HttpStatusCode.Conflict, e.Response.StatusCode);
        var status = JsonNode.Parse(e.Response.Content)!;
        Assert.Equal("Conflict", (string?)status["reason"]);
        Assert.Equal("2", (await client.CoreV1.ReadNamespacedConfigMapAsync("cm", ns)).Data["a"]);
    }

    [Fact]
    public async Task Update_SpecChange_BumpsGenerationButLabelChangeDoesNot()
    {
        var ns = await sandbox.NewNamespaceAsync();
        var client = sandbox.Client;
        var deploy = new V1Deployment
        {
            Metadata = new V1ObjectMeta { Name = "d" },
            Spec = new V1DeploymentSpec
            {
                Replicas = 1,
                Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["a"] = "b" } },
                Template = new V1PodTemplateSpec { Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["a"] = "b" } }, Spec = Pods.New("x").Spec },
            },
        };
        var created = await client.AppsV1.CreateNamespacedDeploymentAsync(deploy, ns);
        Assert.Equal(1, created.Metadata.Generation);
        created.Metadata.Labels = new Dictionary<string, string> { ["l"] = "v" };
        var relabeled = await client.AppsV1.ReplaceNamespacedDeploymentAsync(created, "d", ns);
        Assert.Equal(1, relabeled.Metadata.Generation);
        relabeled.Spec.Replicas = 4;
        var scaled = await client.AppsV1.ReplaceNamespacedDeploymentAsync(relabeled, "d", ns);
        Assert.Equal(2, scaled.Metadata.Generation);
    }

    [Fact]
    public async Task Pod_InvalidNameAndMissingImage_Returns422WithFieldPaths()
    {
        var ns = await sandbox.NewNamespaceAsync();
        var (code, status) = await sandbox.SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{ns}/pods",
            """{"apiVersion":"v1","kind":"Pod","metadata":{"name":"Bad_Name"},"spec":{"containers":[{"name":"c"}]}}""");
        Assert.Equal(422, code);
        Assert.Equal("Invalid", (string?)status!["reason"]);
        var fields = status["details"]!["causes"]!.AsArray().Select(c => (string?)c!["field"]).ToList();
        Assert.Contains("metadata.name", fields);
        Assert.Contains("spec.containers[0].image", fields);
        Assert.Equal(404, (await sandbox.SendAsync(HttpMethod.Get, $"/api/v1/namespaces/{ns}/pods/Bad_Name")).Code);
    }

    [Fact]
    public async Task Job_WithoutNeverOrOnFailureRestartPolicy_IsRejected()
    {
        var ns = await sandbox.NewNamespaceAsync();
        var (code, status) = await sandbox.SendAsync(HttpMethod.Post, $"/apis/batch/v1/namespaces/{ns}/jobs",
            """{"apiVersion":"batch/v1","kind":"Job","metadata":{"name":"j"},"spec":{"template":{"spec":{"containers":[{"name":"c","image":"i"}]}}}}""");
        Assert.Equal(422, code);
        Assert.Equal("spec.template.spec.restartPolicy", (string?)status!["details"]!["causes"]![0]!["field"]);
    }

    [Fact]
    public async Task Create_WrongJsonType_Returns400BadRequest()
    {
        var ns = await sandbox.NewNamespaceAsync();
        var (code, status) = await sandbox.SendAsync(HttpMethod.Post, $"/apis/apps/v1/namespaces/{ns}/deployments",
            """{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"d"},"spec":{"replicas":"three","selector":{"matchLabels":{"a":"b"}},"template":{"metadata":{"labels":{"a":"b"}},"spec":{"containers":[{"name":"c","image":"i"}]}}}}""");
        Assert.Equal(400, code);
        Assert.Equal("BadRequest", (string?)status!["reason"]);
    }

    [Fact]
    public async Task UnsupportedVerbOnSubresource_Returns405()
    {
        var ns = await sandbox.NewNamespaceAsync();
        await sandbox.Client.CoreV1.CreateNamespacedPodAsync(Pods.New("p"), ns);
        var (code, status) = await sandbox.SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{ns}/pods/p", "{}");
        Assert.Equal(405, code);
        Assert.Equal("MethodNotAllowed", (string?)status!["reason"]);
    }

    [Fact]
    public async Task PodStatusSubresource_ChangesOnlyStatus_AndMainUpdateKeepsStatus()
    {
        var ns = await sandbox.NewNamespaceAsync();
        var client = sandbox.Client;
        await client.CoreV1.CreateNamespacedPodAsync(Pods.New("p"), ns);
        var patch = new V1Patch("""{"status":{"phase":"Running","podIP":"10.0.0.9"},"metadata":{"labels":{"ignored":"yes"}}}""", V1Patch.PatchType.MergePatch);
        var patched = await client.CoreV1.PatchNamespacedPodStatusAsync(patch, "p", ns);
        Assert.Equal("Running", patched.Status.Phase);
        Assert.Null(patched.Metadata.Labels);

        patched.Status.Phase = "Failed";
        var replaced = await client.CoreV1.ReplaceNamespacedPodAsync(patched, "p", ns);
        Assert.Equal("Running", replaced.Status.Phase);
    }

    [Fact]
    public async Task ScaleSubresource_ReadsAndWritesDeploymentReplicas()
    {
        var ns = await sandbox.NewNamespaceAsync();
        var client = sandbox.Client;
        await sandbox.SendAsync(HttpMethod.Post, $"/apis/apps/v1/namespaces/{ns}/deployments",
            """{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"d"},"spec":{"replicas":2,"selector":{"matchLabels":{"a":"b"}},"template":{"metadata":{"labels":{"a":"b"}},"spec":{"containers":[{"name":"c","image":"i"}]}}}}""");
        var scale = await client.AppsV1.ReadNamespacedDeploymentScaleAsync("d", ns);
        Assert.Equal(2, scale.Spec.Replicas);
        Assert.Equal("a=b", scale.Status.Selector);
        await client.AppsV1.PatchNamespacedDeploymentScaleAsync(new V1Patch("""{"spec":{"replicas":7}}""", V1Patch.PatchType.MergePatch), "d", ns);
        Assert.Equal(7, (await client.AppsV1.ReadNamespacedDeploymentAsync("d", ns)).Spec.Replicas);
    }

    [Fact]
    public async Task DeleteCollection_WithLabelSelector_RemovesOnlyMatching()
    {
        var ns = await sandbox.NewNamespaceAsync();
        var client = sandbox.Client;
        for (var i = 0; i < 4; i++)
        {
            await client.CoreV1.CreateNamespacedPodAsync(Pods.New($"p{i}", new Dictionary<string, string> { ["batch"] = i < 3 ? "a" : "b" }), ns);
        }

        await client.CoreV1.DeleteCollectionNamespacedPodAsync(ns, labelSelector: "batch=a");
        var left = await client.CoreV1.ListNamespacedPodAsync(ns);
        Assert.Equal(["p3"], left.Items.Select(p => p.Metadata.Name));
    }

    [Fact]
    public async Task PodLog_ReturnsWhatTheKubeletWrote()
    {
        var ns = await sandbox.NewNamespaceAsync();
        await sandbox.Client.CoreV1.CreateNamespacedPodAsync(Pods.New("p"), ns);
        sandbox.Server.Cluster.Logs.Append(ns, "p", "main", "hello");
        sandbox.Server.Cluster.Logs.Append(ns, "p", "main", "world");
        using var stream = await sandbox.Client.CoreV1.ReadNamespacedPodLogAsync("p", ns, tailLines: 1);
        using var reader = new StreamReader(stream);
        Assert.Equal("world\n", await reader.ReadToEndAsync());
    }

    [Fact]
    public async Task InjectedFault_IsAnsweredAsTooManyRequestsStatus()
    {
        sandbox.Server.Cluster.Faults.Enqueue(Api.ApiException.TooManyRequests("slow down"), "GET", "limitranges");
        var (code, status) = await sandbox.SendAsync(HttpMethod.Get, "/api/v1/limitranges");
        Assert.Equal(429, code);
        Assert.Equal("TooManyRequests", (string?)status!["reason"]);
        Assert.Equal(200, (await sandbox.SendAsync(HttpMethod.Get, "/api/v1/limitranges")).Code);
    }

    [Fact]
    public async Task UnknownFieldOfBuiltInKind_IsRejectedWhenStrict_AndDroppedWithWarningOtherwise()
    {
        var ns = await sandbox.NewNamespaceAsync();
        const string Pod = """{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"},"spec":{"containers":[{"name":"c","image":"i","imagePullPolicyy":"Always"}],"nodeSelectr":{"a":"b"}}}""";
        var (code, status) = await sandbox.SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{ns}/pods?fieldValidation=Strict", Pod);
        Assert.Equal(400, code);
        Assert.Equal("strict decoding error: unknown field \"spec.containers[0].imagePullPolicyy\", unknown field \"spec.nodeSelectr\"", (string?)status!["message"]);

        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/namespaces/{ns}/pods") { Content = new StringContent(Pod, System.Text.Encoding.UTF8, "application/json") };
        using var response = await sandbox.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Contains("unknown field", response.Headers.NonValidated["Warning"].ToString(), StringComparison.Ordinal);
        Assert.Contains("spec.nodeSelectr", response.Headers.NonValidated["Warning"].ToString(), StringComparison.Ordinal);
        var stored = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Null(stored["spec"]!["nodeSelectr"]);
    }

    [Fact]
    public async Task RichManifests_PassStrictValidationUnchanged()
    {
        var ns = await sandbox.NewNamespaceAsync();
        const string Deployment = """
            {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"rich","labels":{"app":"rich"},"annotations":{"a":"b"}},
             "spec":{"replicas":2,"strategy":{"type":"RollingUpdate","rollingUpdate":{"maxSurge":1,"maxUnavailable":"25%"}},
               "selector":{"matchLabels":{"app":"rich"},"matchExpressions":[{"key":"tier","operator":"In","values":["web"]}]},
               "template":{"metadata":{"labels":{"app":"rich","tier":"web"}},
                 "spec":{"nodeSelector":{"agentpool":"gput4"},"tolerations":[{"key":"sku","operator":"Equal","value":"gpu","effect":"NoSchedule"}],
                   "affinity":{"nodeAffinity":{"requiredDuringSchedulingIgnoredDuringExecution":{"nodeSelectorTerms":[{"matchExpressions":[{"key":"kubernetes.io/os","operator":"In","values":["linux"]}]}]}}},
                   "volumes":[{"name":"data","emptyDir":{"sizeLimit":"1Gi"}},{"name":"cfg","configMap":{"name":"cfg","items":[{"key":"a","path":"a.txt"}]}}],
                   "containers":[{"name":"main","image":"nginx:1.27","args":["--port","8080"],
                     "ports":[{"containerPort":8080,"name":"http","protocol":"TCP"}],
                     "env":[{"name":"A","value":"1"},{"name":"POD","valueFrom":{"fieldRef":{"fieldPath":"metadata.name"}}}],
                     "resources":{"requests":{"cpu":"500m","memory":"1Gi"},"limits":{"cpu":"2","memory":"2Gi","nvidia.com/gpu":"1"}},
                     "readinessProbe":{"httpGet":{"path":"/healthz","port":"http"},"periodSeconds":5},
                     "volumeMounts":[{"name":"data","mountPath":"/data"}],
                     "securityContext":{"runAsNonRoot":true,"capabilities":{"drop":["ALL"]}}}]}}}}
            """;
        var (code, body) = await sandbox.SendAsync(HttpMethod.Post, $"/apis/apps/v1/namespaces/{ns}/deployments?fieldValidation=Strict", Deployment);
        Assert.True(code == 201, body?.ToJsonString());
        Assert.Equal("25%", (string?)body!["spec"]!["strategy"]!["rollingUpdate"]!["maxUnavailable"]);
        Assert.Equal("http", (string?)body["spec"]!["template"]!["spec"]!["containers"]![0]!["readinessProbe"]!["httpGet"]!["port"]);
    }

    [Fact]
    public async Task PodLogFollow_StreamsNewLinesUntilThePodIsGone()
    {
        var ns = await sandbox.NewNamespaceAsync();
        await sandbox.Client.CoreV1.CreateNamespacedPodAsync(Pods.New("p"), ns);
        sandbox.Server.Cluster.Logs.Append(ns, "p", "main", "first");
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cts.CancelAfter(TimeSpan.FromSeconds(20)); // safety net only
        using var response = await sandbox.Http.GetAsync($"/api/v1/namespaces/{ns}/pods/p/log?follow=true", HttpCompletionOption.ResponseHeadersRead, cts.Token);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cts.Token));
        Assert.Equal("first", await reader.ReadLineAsync(cts.Token));

        sandbox.Server.Cluster.Logs.Append(ns, "p", "main", "second");
        Assert.Equal("second", await reader.ReadLineAsync(cts.Token));

        await sandbox.Client.CoreV1.DeleteNamespacedPodAsync("p", ns);
        Assert.Null(await reader.ReadLineAsync(cts.Token));
    }

    [Fact]
    public async Task PodLog_MultiContainerPodWithoutContainer_IsBadRequest()
    {
        var ns = await sandbox.NewNamespaceAsync();
        var pod = Pods.New("two");
        pod.Spec.Containers.Add(new V1Container { Name = "side", Image = "envoy" });
        await sandbox.Client.CoreV1.CreateNamespacedPodAsync(pod, ns);
        var (code, status) = await sandbox.SendAsync(HttpMethod.Get, $"/api/v1/namespaces/{ns}/pods/two/log");
        Assert.Equal(400, code);
        Assert.Equal("a container name must be specified for pod two, choose one of: [main side]", (string?)status!["message"]);
    }

    [Fact]
    public async Task Update_ReappliesDefaults_KeepsClusterIpAndMergesSecretStringData()
    {
        var ns = await sandbox.NewNamespaceAsync();
        var (_, svc) = await sandbox.SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{ns}/services",
            """{"apiVersion":"v1","kind":"Service","metadata":{"name":"s"},"spec":{"ports":[{"port":80}]}}""");
        var ip = (string?)svc!["spec"]!["clusterIP"];
        Assert.StartsWith("10.96.", ip, StringComparison.Ordinal);
        var (putCode, updated) = await sandbox.SendAsync(HttpMethod.Put, $"/api/v1/namespaces/{ns}/services/s",
            """{"apiVersion":"v1","kind":"Service","metadata":{"name":"s"},"spec":{"ports":[{"port":81}]}}""");
        Assert.Equal(200, putCode);
        Assert.Equal(ip, (string?)updated!["spec"]!["clusterIP"]);
        Assert.Equal("TCP", (string?)updated["spec"]!["ports"]![0]!["protocol"]);

        await sandbox.SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{ns}/secrets", """{"apiVersion":"v1","kind":"Secret","metadata":{"name":"x"},"data":{"a":"YQ=="}}""");
        var (_, secret) = await sandbox.SendAsync(HttpMethod.Patch, $"/api/v1/namespaces/{ns}/secrets/x", """{"stringData":{"b":"bee"}}""", "application/merge-patch+json");
        Assert.Equal("YQ==", (string?)secret!["data"]!["a"]);
        Assert.Equal("YmVl", (string?)secret["data"]!["b"]);
        Assert.Null(secret["stringData"]);
    }
}
