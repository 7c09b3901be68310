using System.Text.Json.Nodes;
using k8s;
using k8s.Models;

namespace Studio.Sandbox.Tests.Simulation;

/// <summary>CronJobs, PodDisruptionBudgets with eviction (kubectl drain), the metrics API (kubectl top), NetworkPolicies and Ingresses.</summary>
public sealed class PolicyKindsTests : IClassFixture<SimulatedKubectl>
{
    private readonly SimulatedKubectl _k;

    public PolicyKindsTests(SimulatedKubectl kubectl) => _k = kubectl;

    private SimulatedCluster C => _k.Cluster;

    private List<JsonObject> Jobs(string ns) =>
        [.. C.Cluster.Store.List("jobs.batch", ns, null, 0, _ => true).Items.Select(j => j.ToJsonObject())];

    private int CronCreates(string ns, string cronJob) =>
        C.Cluster.Store.List("events", ns, null, 0, _ => true).Items.Select(e => e.ToJsonObject())
            .Count(e => (string?)e["reason"] == "SuccessfulCreate" && (string?)e["involvedObject"]?["kind"] == "CronJob" && (string?)e["involvedObject"]?["name"] == cronJob);

    private static string CronJob(string name, string policy, string command, int keep = 3) => $$"""
        apiVersion: batch/v1
        kind: CronJob
        metadata: {name: {{name}}}
        spec:
          schedule: "* * * * *"
          concurrencyPolicy: {{policy}}
          successfulJobsHistoryLimit: {{keep}}
          jobTemplate:
            spec:
              template:
                spec:
                  restartPolicy: Never
                  containers: [{name: main, image: busybox:1.36, command: ["sh", "-c", "{{command}}"]}]
        """;

    [Fact]
    public async Task ACronJobCreatesJobsOnScheduleAndKeepsOnlyItsHistoryLimit()
    {
        KubectlFixture.RequireKubectl();
        var ns = await C.NewNamespaceAsync();
        await _k.OkAsync("apply", "-n", ns, "-f", _k.WriteFile(ns + "-cron.yaml", CronJob("tick", "Allow", "echo tick", keep: 1)));

        // Every simulated minute (0.6 s at Speed 100): three runs, each a Job owned by the CronJob.
        await C.WaitUntilAsync(() => CronCreates(ns, "tick") >= 3, "events", "three scheduled runs", 120);
        var cron = await C.WaitForAsync("cronjobs.batch", ns, "tick", c => c["status"]?["lastSuccessfulTime"] is not null && c["status"]?["lastScheduleTime"] is not null);
        await C.WaitUntilAsync(() => Jobs(ns).Count(j => SimulatedCluster.HasCondition(j, "Complete")) <= 1, "jobs.batch", "history pruned to 1", 60);

        Assert.All(Jobs(ns), j =>
        {
            Assert.Equal("CronJob", (string?)j["metadata"]?["ownerReferences"]?[0]?["kind"]);
            Assert.StartsWith("tick-", (string?)j["metadata"]?["name"], StringComparison.Ordinal);
            Assert.NotNull(j["metadata"]?["annotations"]?["batch.kubernetes.io/cronjob-scheduled-timestamp"]);
        });
        var table = await _k.OkAsync("get", "cronjob", "tick", "-n", ns);
        Assert.True(System.Text.RegularExpressions.Regex.IsMatch(table, @"tick\s+\* \* \* \* \*\s+<none>\s+False\s+\d+\s+"), table);
        Assert.NotNull(cron["status"]?["lastScheduleTime"]);
    }

    [Fact]
    public async Task AForbidCronJobSkipsRunsWhileOneIsActive_AndASuspendedOneRunsNone()
    {
        KubectlFixture.RequireKubectl();
        var ns = await C.NewNamespaceAsync();
        await _k.OkAsync("apply", "-n", ns, "-f", _k.WriteFile(ns + "-forbid.yaml", CronJob("long", "Forbid", "sleep infinity")));

        await C.WaitUntilAsync(() => C.Cluster.Store.List("events", ns, null, 0, _ => true).Items
            .Any(e => (string?)e.ToJsonObject()["reason"] == "JobAlreadyActive"), "events", "a skipped run", 120);
        Assert.Single(Jobs(ns));
        var cron = await C.WaitForAsync("cronjobs.batch", ns, "long", c => (c["status"]?["active"] as JsonArray)?.Count == 1);
        Assert.Equal((string?)Jobs(ns)[0]["metadata"]?["name"], (string?)cron["status"]!["active"]![0]!["name"]);

        await _k.OkAsync("apply", "-n", ns, "-f", _k.WriteFile(ns + "-suspended.yaml", CronJob("paused", "Allow", "echo no").Replace("spec:\n  schedule", "spec:\n  suspend: true\n  schedule", StringComparison.Ordinal)));
        var before = CronCreates(ns, "long");
        await C.WaitUntilAsync(() => CronCreates(ns, "long") > before + 1 || C.Cluster.Store.List("events", ns, null, 0, _ => true).Items
            .Count(e => (string?)e.ToJsonObject()["reason"] == "JobAlreadyActive") >= 3, "events", "three more schedule times", 120);
        Assert.Equal(0, CronCreates(ns, "paused"));
    }

    [Fact]
    public async Task DrainRefusesAnEvictionThatWouldViolateABudget_AndEvictsWhenTheBudgetAllows()
    {
        KubectlFixture.RequireKubectl();
        var ns = await C.NewNamespaceAsync();
        await _k.OkAsync("create", "deployment", "web", "--image=nginx:1.27", "--replicas=2", "-n", ns);
        await _k.OkAsync("create", "poddisruptionbudget", "web", "--selector=app=web", "--min-available=2", "-n", ns);
        var pdb = await C.WaitForAsync("poddisruptionbudgets.policy", ns, "web", p => (int?)p["status"]?["currentHealthy"] == 2);
        Assert.Equal((2, 0, 2), ((int?)pdb["status"]?["desiredHealthy"], (int?)pdb["status"]?["disruptionsAllowed"], (int?)pdb["status"]?["expectedPods"]));
        Assert.Matches(@"web\s+2\s+N/A\s+0\s+", await _k.OkAsync("get", "pdb", "-n", ns));

        var pod = (await C.Client.CoreV1.ListNamespacedPodAsync(ns, labelSelector: "app=web", cancellationToken: TestContext.Current.CancellationToken)).Items.First();
        var node = pod.Spec.NodeName;
        try
        {
            var (exit, output, error) = await _k.RunAsync("drain", node, "--pod-selector=app=web", "--ignore-daemonsets", "--timeout=3s");
            Assert.NotEqual(0, exit);
            Assert.Contains("Cannot evict pod as it would violate the pod's disruption budget", error + output, StringComparison.Ordinal);
            Assert.NotNull(await C.Client.CoreV1.ReadNamespacedPodAsync(pod.Metadata.Name, ns, cancellationToken: TestContext.Current.CancellationToken));

            await _k.OkAsync("patch", "pdb", "web", "-n", ns, "--type=merge", "-p", """{"spec":{"minAvailable":1}}""");
            await C.WaitForAsync("poddisruptionbudgets.policy", ns, "web", p => (int?)p["status"]?["disruptionsAllowed"] >= 1);
            var drained = await _k.OkAsync("drain", node, "--pod-selector=app=web", "--ignore-daemonsets", "--timeout=60s");
            Assert.Contains("evicted", drained, StringComparison.Ordinal);
            await C.WaitUntilAsync(() => !C.Cluster.Store.List("pods", ns, null, 0, p => p.NodeName == node && !p.Deleting).Items.Any(), "pods", "the node is empty", 60);
        }
        finally
        {
            await _k.RunAsync("uncordon", node);
        }
    }

    [Fact]
    public async Task TopPodsAndNodes_ShowTheSimulatedUsage()
    {
        KubectlFixture.RequireKubectl();
        var ns = await C.NewNamespaceAsync();
        await C.Client.CoreV1.CreateNamespacedPodAsync(new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = "busy", Annotations = new Dictionary<string, string> { ["sandbox.studio/cpu-utilization"] = "40", ["sandbox.studio/memory"] = "300Mi" } },
            Spec = new V1PodSpec
            {
                Containers = [new V1Container { Name = "main", Image = "nginx:1.27", Resources = new V1ResourceRequirements { Requests = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("500m"), ["memory"] = new("1Gi") } } }],
            },
        }, ns, cancellationToken: TestContext.Current.CancellationToken);
        await C.WaitForAsync("pods", ns, "busy", p => SimulatedCluster.Phase(p) == "Running");

        var pods = await _k.OkAsync("top", "pod", "-n", ns);
        Assert.Matches(@"busy\s+200m\s+300Mi", pods);
        var containers = await _k.OkAsync("top", "pod", "busy", "-n", ns, "--containers");
        Assert.Matches(@"busy\s+main\s+200m\s+300Mi", containers);
        var nodes = await _k.OkAsync("top", "nodes");
        Assert.Matches(@"NAME\s+CPU\(cores\)\s+CPU(\(%\)|%)\s+MEMORY\(bytes\)\s+MEMORY(\(%\)|%)", nodes);
        Assert.Equal(C.Cluster.Store.Count("nodes"), nodes.Trim().Split('\n').Length - 1);
    }

    [Fact]
    public async Task NetworkPoliciesIngressesAndIngressClasses_AreStoredAndListed()
    {
        KubectlFixture.RequireKubectl();
        var ns = await C.NewNamespaceAsync();
        var file = _k.WriteFile(ns + "-net.yaml", $$"""
            apiVersion: networking.k8s.io/v1
            kind: IngressClass
            metadata: {name: {{ns}}-nginx}
            spec: {controller: k8s.io/ingress-nginx}
            ---
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: deny-all}
            spec:
              podSelector:
                matchLabels: {app: web}
              policyTypes: [Ingress]
            ---
            apiVersion: networking.k8s.io/v1
            kind: Ingress
            metadata: {name: site}
            spec:
              ingressClassName: {{ns}}-nginx
              rules:
              - host: example.com
                http:
                  paths:
                  - path: /
                    pathType: Prefix
                    backend:
                      service:
                        name: web
                        port: {number: 80}
            """);
        await _k.OkAsync("apply", "-n", ns, "-f", file, "--server-side");

        Assert.Matches(@"deny-all\s+app=web\s+", await _k.OkAsync("get", "networkpolicy", "-n", ns));
        Assert.Matches($@"site\s+{ns}-nginx\s+example.com\s+80\s+", await _k.OkAsync("get", "ingress", "-n", ns));
        Assert.Matches($@"{ns}-nginx\s+k8s.io/ingress-nginx\s+<none>\s+", await _k.OkAsync("get", "ingressclass", ns + "-nginx"));
        var policy = await C.Client.NetworkingV1.ReadNamespacedNetworkPolicyAsync("deny-all", ns, cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal(["Ingress"], policy.Spec.PolicyTypes);
        Assert.Equal(1, policy.Metadata.Generation);
    }
}
