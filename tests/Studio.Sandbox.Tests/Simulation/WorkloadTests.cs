using System.Text.Json.Nodes;
using k8s;
using k8s.Models;

namespace Studio.Sandbox.Tests.Simulation;

/// <summary>The Job, Deployment/ReplicaSet and Endpoints controllers.</summary>
public sealed class WorkloadTests : IClassFixture<SimulatedCluster>
{
    private readonly SimulatedCluster _c;

    public WorkloadTests(SimulatedCluster cluster) => _c = cluster;

    private static V1Job Job(string name, int? completions, int? parallelism, string? mode = null, IDictionary<string, string>? annotations = null, int? backoffLimit = null, long? deadline = null, IList<string>? command = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        Spec = new V1JobSpec
        {
            Completions = completions,
            Parallelism = parallelism,
            CompletionMode = mode,
            BackoffLimit = backoffLimit,
            ActiveDeadlineSeconds = deadline,
            Template = new V1PodTemplateSpec
            {
                Metadata = new V1ObjectMeta { Annotations = annotations },
                Spec = new V1PodSpec
                {
                    RestartPolicy = "Never",
                    Containers = [new V1Container { Name = "main", Image = "busybox:1.36", Command = command ?? ["sh", "-c", "echo hello; sleep 3"] }],
                },
            },
        },
    };

    private Task<JsonObject> JobCondition(string ns, string name, string type) =>
        _c.WaitForAsync("jobs.batch", ns, name, j => SimulatedCluster.HasCondition(j, type));

    [Fact]
    public async Task AnIndexedJobRunsEveryIndexOnceAndCompletes()
    {
        var ns = await _c.NewNamespaceAsync();
        await _c.Client.BatchV1.CreateNamespacedJobAsync(Job("idx", 3, 2, "Indexed"), ns);

        var job = await JobCondition(ns, "idx", "Complete");
        Assert.Equal(3, (int?)job["status"]?["succeeded"]);
        Assert.Equal("0-2", (string?)job["status"]?["completedIndexes"]);
        var complete = ((JsonArray)job["status"]!["conditions"]!).OfType<JsonObject>().First(c => (string?)c["type"] == "Complete");
        Assert.Equal("CompletionsReached", (string?)complete["reason"]);

        var pods = await _c.Client.CoreV1.ListNamespacedPodAsync(ns, labelSelector: "batch.kubernetes.io/job-name=idx");
        Assert.Equal(3, pods.Items.Count);
        Assert.Equal(["0", "1", "2"], pods.Items.Select(p => p.Metadata.Annotations["batch.kubernetes.io/job-completion-index"]).Order());
        Assert.All(pods.Items, p =>
        {
            var index = p.Metadata.Annotations["batch.kubernetes.io/job-completion-index"];
            Assert.Equal($"idx-{index}", p.Spec.Hostname);
            Assert.Contains(p.Spec.Containers[0].Env, e => e.Name == "JOB_COMPLETION_INDEX" && e.Value == index);
        });
    }

    [Fact]
    public async Task AJobWhosePodsKeepFailingStopsAtTheBackoffLimit()
    {
        var ns = await _c.NewNamespaceAsync();
        await _c.Client.BatchV1.CreateNamespacedJobAsync(Job("flaky", 1, 1, backoffLimit: 2, command: ["sh", "-c", "exit 1"]), ns);

        var job = await JobCondition(ns, "flaky", "Failed");
        var failed = ((JsonArray)job["status"]!["conditions"]!).OfType<JsonObject>().First(c => (string?)c["type"] == "Failed");
        Assert.Equal("BackoffLimitExceeded", (string?)failed["reason"]);
        Assert.Equal(3, (int?)job["status"]?["failed"]);
    }

    [Fact]
    public async Task AJobPastItsActiveDeadlineFailsWithDeadlineExceeded()
    {
        var ns = await _c.NewNamespaceAsync();
        await _c.Client.BatchV1.CreateNamespacedJobAsync(Job("late", 1, 1, deadline: 5, command: ["sleep", "infinity"]), ns);

        var job = await JobCondition(ns, "late", "Failed");
        var failed = ((JsonArray)job["status"]!["conditions"]!).OfType<JsonObject>().First(c => (string?)c["type"] == "Failed");
        Assert.Equal("DeadlineExceeded", (string?)failed["reason"]);
        await _c.WaitUntilAsync(() => _c.Cluster.Store.Count("pods", ns) == 0 || _c.Cluster.Store.List("pods", ns, null, 0, p => !p.Deleting && p.Phase is "Running" or "Pending").Items.Count == 0, "pods", "active pods stopped");
    }

    [Fact]
    public async Task ASuspendedJobCreatesNoPodsUntilResumed()
    {
        var ns = await _c.NewNamespaceAsync();
        var spec = Job("later", 1, 1);
        spec.Spec.Suspend = true;
        await _c.Client.BatchV1.CreateNamespacedJobAsync(spec, ns);
        await JobCondition(ns, "later", "Suspended");
        Assert.Equal(0, _c.Cluster.Store.Count("pods", ns));

        await _c.Client.BatchV1.PatchNamespacedJobAsync(new V1Patch("""{"spec":{"suspend":false}}""", V1Patch.PatchType.MergePatch), "later", ns);
        await JobCondition(ns, "later", "Complete");
    }

    [Fact]
    public async Task ADeploymentRollsOutANewTemplateAndScalesTheOldReplicaSetToZero()
    {
        var ns = await _c.NewNamespaceAsync();
        var labels = new Dictionary<string, string> { ["app"] = "web" };
        var deployment = new V1Deployment
        {
            Metadata = new V1ObjectMeta { Name = "web" },
            Spec = new V1DeploymentSpec
            {
                Replicas = 3,
                Selector = new V1LabelSelector { MatchLabels = labels },
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta { Labels = labels },
                    Spec = new V1PodSpec { Containers = [new V1Container { Name = "web", Image = "nginx:1.26", Resources = new V1ResourceRequirements { Requests = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("100m") } } }] },
                },
            },
        };
        await _c.Client.AppsV1.CreateNamespacedDeploymentAsync(deployment, ns);
        await _c.WaitForAsync("deployments.apps", ns, "web", d => (int?)d["status"]?["availableReplicas"] == 3 && (int?)d["status"]?["updatedReplicas"] == 3);

        await _c.Client.AppsV1.PatchNamespacedDeploymentAsync(new V1Patch("""{"spec":{"template":{"spec":{"containers":[{"name":"web","image":"nginx:1.27"}]}}}}""", V1Patch.PatchType.StrategicMergePatch), "web", ns);
        var done = await _c.WaitForAsync("deployments.apps", ns, "web", d =>
            (long?)d["status"]?["observedGeneration"] == (long?)d["metadata"]?["generation"]
            && (int?)d["status"]?["updatedReplicas"] == 3 && (int?)d["status"]?["replicas"] == 3 && (int?)d["status"]?["availableReplicas"] == 3);

        Assert.Equal("2", (string?)done["metadata"]?["annotations"]?["deployment.kubernetes.io/revision"]);
        var sets = await _c.Client.AppsV1.ListNamespacedReplicaSetAsync(ns);
        Assert.Equal(2, sets.Items.Count);
        Assert.Equal(0, sets.Items.Single(r => r.Spec.Template.Spec.Containers[0].Image == "nginx:1.26").Spec.Replicas);
        Assert.Equal(3, sets.Items.Single(r => r.Spec.Template.Spec.Containers[0].Image == "nginx:1.27").Spec.Replicas);
        var progressing = ((JsonArray)done["status"]!["conditions"]!).OfType<JsonObject>().First(c => (string?)c["type"] == "Progressing");
        Assert.Equal("NewReplicaSetAvailable", (string?)progressing["reason"]);

        await _c.Client.AppsV1.PatchNamespacedDeploymentScaleAsync(new V1Patch("""{"spec":{"replicas":1}}""", V1Patch.PatchType.MergePatch), "web", ns);
        await _c.WaitForAsync("deployments.apps", ns, "web", d => (int?)d["status"]?["replicas"] == 1 && (int?)d["status"]?["availableReplicas"] == 1);
    }

    [Fact]
    public async Task AServiceGetsEndpointsForItsReadyPods()
    {
        var ns = await _c.NewNamespaceAsync();
        await _c.Client.CoreV1.CreateNamespacedServiceAsync(new V1Service
        {
            Metadata = new V1ObjectMeta { Name = "model" },
            Spec = new V1ServiceSpec { Selector = new Dictionary<string, string> { ["app"] = "model" }, Ports = [new V1ServicePort { Name = "http", Port = 80, TargetPort = 8080 }] },
        }, ns);
        await _c.Client.CoreV1.CreateNamespacedPodAsync(SimPods.New("model-0", image: "vllm/vllm-openai:v0.6.0", restartPolicy: "Always", labels: new Dictionary<string, string> { ["app"] = "model" }), ns);

        var ep = await _c.WaitForAsync("endpoints", ns, "model", e => ((e["subsets"] as JsonArray)?.FirstOrDefault()?["addresses"] as JsonArray)?.Count == 1);
        var pod = _c.Cluster.Store.Get("pods", ns, "model-0")!.ToJsonObject();
        Assert.Equal((string?)pod["status"]?["podIP"], (string?)ep["subsets"]![0]!["addresses"]![0]!["ip"]);
        Assert.Equal(8080, (int?)ep["subsets"]![0]!["ports"]![0]!["port"]);
    }

    [Fact]
    public async Task AnHpaScalesADeploymentUpWhenSimulatedCpuUtilisationIsAboveTarget()
    {
        var ns = await _c.NewNamespaceAsync();
        var labels = new Dictionary<string, string> { ["app"] = "hot" };
        await _c.Client.AppsV1.CreateNamespacedDeploymentAsync(new V1Deployment
        {
            Metadata = new V1ObjectMeta { Name = "hot" },
            Spec = new V1DeploymentSpec
            {
                Replicas = 2,
                Selector = new V1LabelSelector { MatchLabels = labels },
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta { Labels = labels, Annotations = new Dictionary<string, string> { ["sandbox.studio/cpu-utilization"] = "160" } },
                    Spec = new V1PodSpec { Containers = [new V1Container { Name = "app", Image = "nginx:1.27", Resources = new V1ResourceRequirements { Requests = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("50m") } } }] },
                },
            },
        }, ns);
        await _c.Client.AutoscalingV2.CreateNamespacedHorizontalPodAutoscalerAsync(new V2HorizontalPodAutoscaler
        {
            Metadata = new V1ObjectMeta { Name = "hot" },
            Spec = new V2HorizontalPodAutoscalerSpec
            {
                ScaleTargetRef = new V2CrossVersionObjectReference { ApiVersion = "apps/v1", Kind = "Deployment", Name = "hot" },
                MinReplicas = 1,
                MaxReplicas = 6,
                Metrics = [new V2MetricSpec { Type = "Resource", Resource = new V2ResourceMetricSource { Name = "cpu", Target = new V2MetricTarget { Type = "Utilization", AverageUtilization = 80 } } }],
            },
        }, ns);

        await _c.WaitForAsync("deployments.apps", ns, "hot", d => (int?)d["spec"]?["replicas"] == 6 && (int?)d["status"]?["availableReplicas"] == 6);
        var hpa = await _c.WaitForAsync("horizontalpodautoscalers.autoscaling", ns, "hot", h => (int?)h["status"]?["currentReplicas"] == 6);
        Assert.Equal(160, (int?)hpa["status"]?["currentMetrics"]?[0]?["resource"]?["current"]?["averageUtilization"]);
        var evt = await _c.WaitForAnyAsync("events", ns, e => (string?)e["reason"] == "SuccessfulRescale", "SuccessfulRescale event");
        Assert.Contains("above target", (string?)evt["message"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeletingADeploymentGarbageCollectsItsReplicaSetsAndPods()
    {
        var ns = await _c.NewNamespaceAsync();
        var labels = new Dictionary<string, string> { ["app"] = "gc" };
        await _c.Client.AppsV1.CreateNamespacedDeploymentAsync(new V1Deployment
        {
            Metadata = new V1ObjectMeta { Name = "gc" },
            Spec = new V1DeploymentSpec
            {
                Replicas = 2,
                Selector = new V1LabelSelector { MatchLabels = labels },
                Template = new V1PodTemplateSpec { Metadata = new V1ObjectMeta { Labels = labels }, Spec = new V1PodSpec { Containers = [new V1Container { Name = "app", Image = "nginx:1.27" }] } },
            },
        }, ns);
        await _c.WaitForAsync("deployments.apps", ns, "gc", d => (int?)d["status"]?["availableReplicas"] == 2);

        await _c.Client.AppsV1.DeleteNamespacedDeploymentAsync("gc", ns);

        await _c.WaitUntilAsync(() => _c.Cluster.Store.Count("pods", ns) == 0 && _c.Cluster.Store.Count("replicasets.apps", ns) == 0, "pods", "garbage collection of the deployment's replica sets and pods");
    }

    [Fact]
    public async Task DeletingANamespaceWithRunningPodsFinishesOnceTheKubeletHasStoppedThem()
    {
        var ns = await _c.NewNamespaceAsync();
        await _c.Client.CoreV1.CreateNamespacedPodAsync(SimPods.New("resident", restartPolicy: "Always"), ns);
        await _c.WaitForAsync("pods", ns, "resident", p => SimulatedCluster.Phase(p) == "Running");

        await _c.Client.CoreV1.DeleteNamespaceAsync(ns);

        await _c.WaitUntilAsync(() => _c.Cluster.Store.Get("namespaces", null, ns) is null, "namespaces", "namespace removal");
        Assert.Equal(0, _c.Cluster.Store.Count("pods", ns));
    }
}
