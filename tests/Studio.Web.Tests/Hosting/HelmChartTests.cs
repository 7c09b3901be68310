using k8s;
using k8s.Models;
using Studio.Sandbox;

namespace Studio.Web.Tests.Hosting;

/// <summary>The Helm chart <c>deploy/helm/studio</c>: lint, templates of several values files, and an install into the sandbox.</summary>
public sealed class HelmChartTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("minimal-values.yaml")]
    [InlineData("production-values.yaml")]
    [InlineData("gateway-trial-values.yaml")]
    [InlineData("sandbox-values.yaml")]
    public async Task Lint_PassesWithEveryExampleValuesFile(string values)
    {
        var (exit, output, error) = await HelmTool.HelmAsync(Ct, "lint", HelmTool.Chart, "--strict", "-f", HelmTool.ValuesFile(values));

        Assert.True(exit == 0, output + error);
    }

    [Fact]
    public async Task Template_Production_RunsRestrictedReplicasWithProbesSpreadAndBudgeted()
    {
        var manifests = new RenderedManifests(await HelmTool.TemplateAsync("production-values.yaml", Ct));
        var deployment = manifests.One("Deployment", "studio");
        var pod = deployment["spec.template.spec"];
        var container = pod["containers.0"];

        Assert.Equal("3", deployment["spec.replicas"].Text);
        Assert.Equal("registry.example.com/studio:1.0.0", container["image"].Text);
        Assert.Equal("true", pod["securityContext.runAsNonRoot"].Text);
        Assert.Equal("RuntimeDefault", pod["securityContext.seccompProfile.type"].Text);
        Assert.Equal("true", container["securityContext.readOnlyRootFilesystem"].Text);
        Assert.Equal("false", container["securityContext.allowPrivilegeEscalation"].Text);
        Assert.Equal("ALL", container["securityContext.capabilities.drop.0"].Text);
        Assert.Equal("/healthz/live", container["livenessProbe.httpGet.path"].Text);
        Assert.Equal("/healthz/ready", container["readinessProbe.httpGet.path"].Text);
        Assert.Equal("5", container["lifecycle.preStop.sleep.seconds"].Text);
        Assert.Equal("30", pod["terminationGracePeriodSeconds"].Text);
        Assert.Equal("kubernetes.io/hostname", pod["affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution.0.topologyKey"].Text);
        Assert.NotNull(container["resources.requests.memory"].Value);
        Assert.Equal("http://+:8080", container["env"].Env("ASPNETCORE_URLS")["value"].Text);
        Assert.Equal("Kubernetes", container["env"].Env("Studio__Leadership__Mode")["value"].Text);
        Assert.Equal("metadata.name", container["env"].Env("Studio__Leadership__Identity")["valueFrom.fieldRef.fieldPath"].Text);
        Assert.Equal("studio-database", container["env"].Env("Studio__Database__ConnectionString")["valueFrom.secretKeyRef.name"].Text);
        Assert.Equal("studio-redis", container["env"].Env("Studio__SignalR__Redis")["valueFrom.secretKeyRef.name"].Text);
        Assert.Equal("studio-auth", container["env"].Env("AzureAd__ClientSecret")["valueFrom.secretKeyRef.name"].Text);
        Assert.Equal("/etc/studio/data-protection/tls.crt", container["env"].Env("Studio__DataProtection__CertificatePath")["value"].Text);
        Assert.Equal("1", manifests.One("PodDisruptionBudget")["spec.maxUnavailable"].Text);
        Assert.Equal("ingress-nginx", manifests.One("NetworkPolicy")["spec.ingress.0.from.0.namespaceSelector.matchLabels"].Key("kubernetes.io/metadata.name").Text);
        Assert.True(manifests.Has("ClusterRole"), "registering its own cluster grants the service account the clusterAccess rights");
        Assert.Equal("true", container["env"].Env("Studio__InCluster__Register")["value"].Text);
        Assert.Equal("home", container["env"].Env("Studio__InCluster__Name")["value"].Text);
        Assert.Equal("true", pod["automountServiceAccountToken"].Text);
        Assert.False(manifests.Has("Secret"), "every secret comes from an existing Secret");
        var ingress = manifests.One("Ingress");
        Assert.Equal("cookie", ingress["metadata.annotations"].Key("nginx.ingress.kubernetes.io/affinity").Text);
        Assert.Equal("studio-tls", ingress["spec.tls.0.secretName"].Text);
    }

    [Fact]
    public async Task Template_LeaderRole_GrantsOnlyTheLease()
    {
        var manifests = new RenderedManifests(await HelmTool.TemplateAsync("minimal-values.yaml", Ct));
        var rules = manifests.One("Role")["rules"].Items;

        Assert.All(rules, r => Assert.Equal("leases", r["resources.0"].Text));
        Assert.Equal("studio-leader", rules[1]["resourceNames.0"].Text);
        Assert.False(manifests.Has("ClusterRole"), "without clusterAccess the studio needs no cluster-wide rights");
        Assert.False(manifests.Has("PodDisruptionBudget"), "one replica: a budget would block node drains");
    }

    [Fact]
    public async Task Template_GatewayTrial_RoutesWithSessionPersistence_AndBundlesPostgresAndRedis()
    {
        var manifests = new RenderedManifests(await HelmTool.TemplateAsync("gateway-trial-values.yaml", Ct));

        var route = manifests.One("HTTPRoute");
        Assert.Equal("Cookie", route["spec.rules.0.sessionPersistence.type"].Text);
        Assert.Equal("shared-gateway", route["spec.parentRefs.0.name"].Text);
        Assert.Equal("postgres:17", manifests.One("Deployment", "studio-postgresql")["spec.template.spec.containers.0.image"].Text);
        Assert.Equal("redis:7", manifests.One("Deployment", "studio-redis")["spec.template.spec.containers.0.image"].Text);
        Assert.Contains("Host=studio-postgresql;Database=studio;Username=studio;Password=trial-password", manifests.One("Secret", "studio-database")["stringData.connectionString"].Text, StringComparison.Ordinal);
        Assert.Equal("studio-redis:6379", manifests.One("Secret", "studio-redis")["stringData.configuration"].Text);
    }

    [Fact]
    public async Task Template_WithoutADatabase_FailsSayingWhatToSet()
    {
        var (exit, _, error) = await HelmTool.HelmAsync(Ct, "template", "studio", HelmTool.Chart);

        Assert.NotEqual(0, exit);
        Assert.Contains("database.connectionString", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("auth.mode=Local")]
    [InlineData("replicaCount=0")]
    [InlineData("antiAffinity=sometimes")]
    [InlineData("databse.connectionString=typo")]
    [InlineData("inCluster.name=Not_A_Label")]
    public async Task Schema_RefusesABadValue(string setting)
    {
        var (exit, _, error) = await HelmTool.HelmAsync(Ct, "template", "studio", HelmTool.Chart, "-f", HelmTool.ValuesFile("minimal-values.yaml"), "--set", setting);

        Assert.NotEqual(0, exit);
        Assert.Contains("values don't meet the specifications of the schema", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RenderedChart_AppliesToTheSandbox_DryRunThenForReal_AndItsPodsRun()
    {
        await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions { Port = 0, Speed = 20, GatewayApi = true }, Ct);
        var home = Path.Combine(Path.GetTempPath(), "studio-chart-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(home);
        var kubeconfig = Path.Combine(home, "kubeconfig");
        await File.WriteAllTextAsync(kubeconfig, sandbox.CreateKubeconfigYaml(), Ct);
        var rendered = Path.Combine(home, "studio.yaml");
        await File.WriteAllTextAsync(rendered, await HelmTool.TemplateAsync("sandbox-values.yaml", Ct), Ct);
        using var client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfig));
        await client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = "studio" } }, cancellationToken: Ct);

        var dryRun = await HelmTool.RunAsync(HelmTool.Kubectl, ["--kubeconfig", kubeconfig, "apply", "--server-side", "--dry-run=server", "-n", "studio", "-f", rendered], Ct, home);
        Assert.True(dryRun.Exit == 0, dryRun.Err + dryRun.Out);
        Assert.Empty((await client.AppsV1.ListNamespacedDeploymentAsync("studio", cancellationToken: Ct)).Items);

        var applied = await HelmTool.RunAsync(HelmTool.Kubectl, ["--kubeconfig", kubeconfig, "apply", "--server-side", "-n", "studio", "-f", rendered], Ct, home);
        Assert.True(applied.Exit == 0, applied.Err + applied.Out);

        var deadline = DateTime.UtcNow.AddSeconds(90);
        IList<V1Pod> pods = [];
        while (DateTime.UtcNow < deadline)
        {
            pods = (await client.CoreV1.ListNamespacedPodAsync("studio", labelSelector: "app.kubernetes.io/component=studio", cancellationToken: Ct)).Items;
            if (pods.Count == 3 && pods.All(p => p.Status?.Phase == "Running" && p.Spec.NodeName is { Length: > 0 }))
            {
                break;
            }

            await Task.Delay(250, Ct);
        }

        Assert.Equal(3, pods.Count(p => p.Status?.Phase == "Running" && p.Spec.NodeName is { Length: > 0 }));
        Assert.Equal("studio", Assert.Single((await client.CoreV1.ListNamespacedServiceAccountAsync("studio", cancellationToken: Ct)).Items, a => a.Metadata.Name == "studio").Metadata.Name);
        Assert.NotNull(await client.PolicyV1.ReadNamespacedPodDisruptionBudgetAsync("studio", "studio", cancellationToken: Ct));
        Assert.NotNull(await client.NetworkingV1.ReadNamespacedIngressAsync("studio", "studio", cancellationToken: Ct));
        Assert.Equal("studio", Assert.Single((await client.RbacAuthorizationV1.ReadClusterRoleBindingAsync("studio-cluster", cancellationToken: Ct)).Subjects).Name);
        var route = await HelmTool.RunAsync(HelmTool.Kubectl, ["--kubeconfig", kubeconfig, "get", "httproute", "studio", "-n", "studio", "-o", "jsonpath={.spec.rules[0].sessionPersistence.type} {.spec.rules[0].backendRefs[0].name}:{.spec.rules[0].backendRefs[0].port}"], Ct, home);
        Assert.True(route.Exit == 0, route.Err);
        Assert.Equal("Cookie studio:80", route.Out.Trim());
    }

    [Fact]
    public async Task RenderedHttpRoute_OnAClusterWithoutTheGatewayApi_IsRefusedByTheDryRun()
    {
        await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions { Port = 0, Simulate = false }, Ct);
        var home = Directory.CreateTempSubdirectory("studio-chart-").FullName;
        var kubeconfig = Path.Combine(home, "kubeconfig");
        await File.WriteAllTextAsync(kubeconfig, sandbox.CreateKubeconfigYaml(), Ct);
        var rendered = Path.Combine(home, "studio.yaml");
        await File.WriteAllTextAsync(rendered, await HelmTool.TemplateAsync("sandbox-values.yaml", Ct), Ct);

        var dryRun = await HelmTool.RunAsync(HelmTool.Kubectl, ["--kubeconfig", kubeconfig, "apply", "--server-side", "--dry-run=server", "-n", "default", "-f", rendered], Ct, home);

        // kubectl's schema check finds no Gateway API types (a real API server's answer names HTTPRoute; the sandbox's
        // OpenAPI answers 404 for the unknown group, which kubectl words as "could not find the requested resource").
        Assert.NotEqual(0, dryRun.Exit);
        Assert.Matches("HTTPRoute|could not find the requested resource", dryRun.Err);
    }
}
