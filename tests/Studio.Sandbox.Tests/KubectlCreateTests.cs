using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Studio.Sandbox.Api;

namespace Studio.Sandbox.Tests;

/// <summary>
/// kubectl's <c>create</c> generators send protobuf bodies for built-in kinds: every one of them against the sandbox, with
/// the stored object read back (the real kubectl is the judge of what is sent).
/// </summary>
public sealed class KubectlCreateTests(KubectlFixture kubectl) : IClassFixture<KubectlFixture>
{
    private async Task<string> NamespaceAsync()
    {
        var ns = "c-" + Guid.NewGuid().ToString("N")[..8];
        await kubectl.Client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = ns } }, cancellationToken: TestContext.Current.CancellationToken);
        return ns;
    }

    private async Task<JsonObject> GetAsync(params string[] args) =>
        JsonNode.Parse(await kubectl.OkAsync([.. args, "-o", "json"]))!.AsObject();

    [Fact]
    public async Task CreateJobAndCronJob_StoreTheirPodTemplates()
    {
        KubectlFixture.RequireKubectl();
        var ns = await NamespaceAsync();
        Assert.Contains("job.batch/once created", await kubectl.OkAsync("create", "job", "once", "--image=busybox:1.36", "-n", ns, "--", "sh", "-c", "echo hi"), StringComparison.Ordinal);
        Assert.Contains("cronjob.batch/nightly created", await kubectl.OkAsync("create", "cronjob", "nightly", "--image=busybox:1.36", "--schedule=*/5 * * * *", "-n", ns, "--", "date"), StringComparison.Ordinal);

        var job = await kubectl.Client.BatchV1.ReadNamespacedJobAsync("once", ns, cancellationToken: TestContext.Current.CancellationToken);
        var container = Assert.Single(job.Spec.Template.Spec.Containers);
        Assert.Equal("busybox:1.36", container.Image);
        Assert.Equal(["sh", "-c", "echo hi"], container.Command);
        Assert.Equal("Never", job.Spec.Template.Spec.RestartPolicy);

        var cron = await GetAsync("get", "cronjob", "nightly", "-n", ns);
        Assert.Equal("*/5 * * * *", (string?)cron["spec"]?["schedule"]);
        Assert.Equal("date", (string?)cron["spec"]?["jobTemplate"]?["spec"]?["template"]?["spec"]?["containers"]?[0]?["command"]?[0]);

        Assert.Contains("job.batch/from-cron created", await kubectl.OkAsync("create", "job", "from-cron", "--from=cronjob/nightly", "-n", ns), StringComparison.Ordinal);
        var fromCron = await kubectl.Client.BatchV1.ReadNamespacedJobAsync("from-cron", ns, cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal("date", fromCron.Spec.Template.Spec.Containers[0].Command[0]);
        Assert.Equal("manual", fromCron.Metadata.Annotations["cronjob.kubernetes.io/instantiate"]);
        Assert.Equal("CronJob", fromCron.Metadata.OwnerReferences.Single().Kind);
    }

    [Fact]
    public async Task CreateQuotaAndPriorityClass_StoreQuantitiesAndValues()
    {
        KubectlFixture.RequireKubectl();
        var ns = await NamespaceAsync();
        await kubectl.OkAsync("create", "quota", "compute", "--hard=cpu=4,memory=8Gi,pods=10", "--scopes=NotTerminating", "-n", ns);
        var quota = await kubectl.Client.CoreV1.ReadNamespacedResourceQuotaAsync("compute", ns, cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal("4", quota.Spec.Hard["cpu"].ToString());
        Assert.Equal("8Gi", quota.Spec.Hard["memory"].ToString());
        Assert.Equal("10", quota.Spec.Hard["pods"].ToString());
        Assert.Equal(["NotTerminating"], quota.Spec.Scopes);

        var name = "pc-" + ns;
        await kubectl.OkAsync("create", "priorityclass", name, "--value=1000", "--description=high priority", "--preemption-policy=Never");
        var pc = await kubectl.Client.SchedulingV1.ReadPriorityClassAsync(name, cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal(1000, pc.Value);
        Assert.Equal("high priority", pc.Description);
        Assert.Equal("Never", pc.PreemptionPolicy);
        Assert.NotEqual(true, pc.GlobalDefault);
    }

    [Fact]
    public async Task CreateRbacObjects_StoreRulesSubjectsAndRoleRefs()
    {
        KubectlFixture.RequireKubectl();
        var ns = await NamespaceAsync();
        await kubectl.OkAsync("create", "role", "reader", "--verb=get,list", "--resource=pods,deployments.apps", "-n", ns);
        await kubectl.OkAsync("create", "rolebinding", "read", "--role=reader", "--user=alice", "--serviceaccount=" + ns + ":robot", "-n", ns);
        await kubectl.OkAsync("create", "clusterrole", "cr-" + ns, "--verb=get", "--non-resource-url=/healthz");
        await kubectl.OkAsync("create", "clusterrolebinding", "crb-" + ns, "--clusterrole=cr-" + ns, "--group=ops");

        var role = await kubectl.Client.RbacAuthorizationV1.ReadNamespacedRoleAsync("reader", ns, cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal(2, role.Rules.Count);
        var core = Assert.Single(role.Rules, r => r.Resources.Contains("pods"));
        Assert.Equal([""], core.ApiGroups); // the core group is an empty string, which must survive decoding
        Assert.Equal(["get", "list"], core.Verbs);
        Assert.Contains(role.Rules, r => r.ApiGroups.SequenceEqual(["apps"]) && r.Resources.SequenceEqual(["deployments"]));

        var binding = await kubectl.Client.RbacAuthorizationV1.ReadNamespacedRoleBindingAsync("read", ns, cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal(("Role", "reader"), (binding.RoleRef.Kind, binding.RoleRef.Name));
        Assert.Contains(binding.Subjects, s => s.Kind == "User" && s.Name == "alice");
        Assert.Contains(binding.Subjects, s => s.Kind == "ServiceAccount" && s.Name == "robot" && s.NamespaceProperty == ns);

        var clusterRole = await kubectl.Client.RbacAuthorizationV1.ReadClusterRoleAsync("cr-" + ns, cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal(["/healthz"], clusterRole.Rules.Single().NonResourceURLs);
        var clusterBinding = await kubectl.Client.RbacAuthorizationV1.ReadClusterRoleBindingAsync("crb-" + ns, cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal("ops", clusterBinding.Subjects.Single(s => s.Kind == "Group").Name);
    }

    [Fact]
    public async Task CreateDeploymentAndServices_StoreReplicasPortsAndSelectors()
    {
        KubectlFixture.RequireKubectl();
        var ns = await NamespaceAsync();
        await kubectl.OkAsync("create", "deployment", "web", "--image=nginx:1.27", "--replicas=3", "--port=80", "-n", ns);
        await kubectl.OkAsync("create", "deployment", "idle", "--image=nginx:1.27", "--replicas=0", "-n", ns);
        await kubectl.OkAsync("create", "service", "clusterip", "web", "--tcp=8080:80", "-n", ns);
        await kubectl.OkAsync("create", "service", "nodeport", "web-np", "--tcp=80:8080", "--node-port=30080", "-n", ns);

        var dep = await kubectl.Client.AppsV1.ReadNamespacedDeploymentAsync("web", ns, cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal(3, dep.Spec.Replicas);
        Assert.Equal("web", dep.Spec.Selector.MatchLabels["app"]);
        Assert.Equal(80, dep.Spec.Template.Spec.Containers.Single().Ports.Single().ContainerPort);
        Assert.Equal(0, (await kubectl.Client.AppsV1.ReadNamespacedDeploymentAsync("idle", ns, cancellationToken: TestContext.Current.CancellationToken)).Spec.Replicas);

        var svc = await kubectl.Client.CoreV1.ReadNamespacedServiceAsync("web", ns, cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal("ClusterIP", svc.Spec.Type);
        Assert.Equal((8080, "80"), (svc.Spec.Ports.Single().Port, svc.Spec.Ports.Single().TargetPort.Value));
        Assert.Equal("web", svc.Spec.Selector["app"]);
        var np = await kubectl.Client.CoreV1.ReadNamespacedServiceAsync("web-np", ns, cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal(("NodePort", 30080), (np.Spec.Type, np.Spec.Ports.Single().NodePort));
    }

    [Fact]
    public async Task CreatePdbIngressAndSecrets_StoreIntOrStringsBackendsAndData()
    {
        KubectlFixture.RequireKubectl();
        var ns = await NamespaceAsync();
        await kubectl.OkAsync("create", "poddisruptionbudget", "web", "--selector=app=web", "--min-available=50%", "-n", ns);
        await kubectl.OkAsync("create", "poddisruptionbudget", "db", "--selector=app=db", "--max-unavailable=1", "-n", ns);
        await kubectl.OkAsync("create", "ingress", "site", "--class=nginx", "--rule=example.com/api*=api:8080,tls=site-tls", "--default-backend=web:http", "-n", ns);
        using var ecdsa = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        using var certificate = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=example.com", ecdsa, System.Security.Cryptography.HashAlgorithmName.SHA256)
            .CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        var certificatePem = certificate.ExportCertificatePem();
        var key = kubectl.File_(ns + "-tls.key", ecdsa.ExportPkcs8PrivateKeyPem());
        var cert = kubectl.File_(ns + "-tls.crt", certificatePem);
        await kubectl.OkAsync("create", "secret", "tls", "site-tls", "--cert=" + cert, "--key=" + key, "-n", ns);
        await kubectl.OkAsync("create", "secret", "docker-registry", "pull", "--docker-server=registry.example", "--docker-username=u", "--docker-password=p", "-n", ns);

        var web = await GetAsync("get", "pdb", "web", "-n", ns);
        Assert.Equal("50%", (string?)web["spec"]?["minAvailable"]);
        Assert.Equal("web", (string?)web["spec"]?["selector"]?["matchLabels"]?["app"]);
        var db = await GetAsync("get", "pdb", "db", "-n", ns);
        Assert.Equal(1, (int?)db["spec"]?["maxUnavailable"]);

        var ingress = await GetAsync("get", "ingress", "site", "-n", ns);
        Assert.Equal("nginx", (string?)ingress["spec"]?["ingressClassName"]);
        var path = ingress["spec"]!["rules"]![0]!["http"]!["paths"]![0]!;
        Assert.Equal(("example.com", "/api", "Prefix"), ((string?)ingress["spec"]!["rules"]![0]!["host"], (string?)path["path"], (string?)path["pathType"]));
        Assert.Equal(("api", 8080), ((string?)path["backend"]?["service"]?["name"], (int?)path["backend"]?["service"]?["port"]?["number"]));
        Assert.Equal("http", (string?)ingress["spec"]?["defaultBackend"]?["service"]?["port"]?["name"]);
        Assert.Equal("site-tls", (string?)ingress["spec"]?["tls"]?[0]?["secretName"]);

        var tls = await kubectl.Client.CoreV1.ReadNamespacedSecretAsync("site-tls", ns, cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal("kubernetes.io/tls", tls.Type);
        Assert.Equal(certificatePem.Trim(), System.Text.Encoding.UTF8.GetString(tls.Data["tls.crt"]).Trim());
        var pull = await kubectl.Client.CoreV1.ReadNamespacedSecretAsync("pull", ns, cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal("kubernetes.io/dockerconfigjson", pull.Type);
        Assert.Contains("registry.example", System.Text.Encoding.UTF8.GetString(pull.Data[".dockerconfigjson"]), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Autoscale_CreatesAHorizontalPodAutoscalerForTheDeployment()
    {
        KubectlFixture.RequireKubectl();
        var ns = await NamespaceAsync();
        await kubectl.OkAsync("create", "deployment", "web", "--image=nginx:1.27", "-n", ns);
        Assert.Contains("autoscaled", await kubectl.OkAsync("autoscale", "deployment", "web", "--min=2", "--max=5", "--cpu-percent=70", "-n", ns), StringComparison.Ordinal);

        var hpa = await kubectl.Client.AutoscalingV2.ReadNamespacedHorizontalPodAutoscalerAsync("web", ns, cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal((2, 5), (hpa.Spec.MinReplicas, hpa.Spec.MaxReplicas));
        Assert.Equal(("Deployment", "web"), (hpa.Spec.ScaleTargetRef.Kind, hpa.Spec.ScaleTargetRef.Name));
        Assert.Equal(70, hpa.Spec.Metrics.Single().Resource.Target.AverageUtilization);
    }

    [Fact]
    public async Task ProtobufField_TheDecoderDoesNotKnow_IsRefusedByName()
    {
        using var http = new HttpClient { BaseAddress = kubectl.Server.BaseAddress };
        // A ConfigMap (field 1: ObjectMeta with name "x") carrying an unknown field 9.
        byte[] meta = [0x0a, 0x01, (byte)'x'];
        byte[] raw = [0x0a, (byte)meta.Length, .. meta, 0x48, 0x01];
        byte[] typeMeta = [0x0a, 0x02, (byte)'v', (byte)'1', 0x12, 0x09, .. "ConfigMap"u8];
        byte[] body = [.. "k8s\0"u8, 0x0a, (byte)typeMeta.Length, .. typeMeta, 0x12, (byte)raw.Length, .. raw];
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/vnd.kubernetes.protobuf");

        using var response = await http.PostAsync(new Uri("api/v1/namespaces/default/configmaps", UriKind.Relative), content, TestContext.Current.CancellationToken);

        Assert.Equal(415, (int)response.StatusCode);
        Assert.Contains("field 9 of ConfigMap", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    [Fact]
    public void ProtobufSchema_DefinesEveryMessageItRefersTo()
    {
        Assert.Empty(ProtobufDecoder.UndefinedMessages());
        Assert.True(ProtobufDecoder.Messages.Count > 100);
    }
}
