using System.Text.Json.Nodes;
using k8s.Models;
using Studio.Domain.Clusters;
using Studio.Domain.Endpoints;
using Studio.Domain.InstanceTypes;
using Studio.Domain.Workspaces;
using Studio.Infrastructure.Endpoints;

namespace Studio.Infrastructure.Tests.Endpoints;

public sealed class EndpointManifestsTests
{
    private const long Gi = 1024L * 1024 * 1024;

    internal static readonly InstanceType Cpu = new("cpu-small", new Dictionary<string, string> { ["agentpool"] = "cpu" }, new ResourceAmounts(500, 1 * Gi, 0), new ResourceAmounts(2000, 4 * Gi, 0));

    internal static readonly OnlineDeploymentSpec Blue = new()
    {
        Name = "blue",
        EndpointName = "my-endpoint",
        Model = new DeploymentModel(null, "../model-1/model/"),
        CodeConfiguration = new CodeConfiguration("../model-1/onlinescoring/", "score.py"),
        Image = "mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu22.04:latest",
        Resources = new DeploymentResources("0.1", "0.1Gi", "0.2", "200Mi"),
        RequestSettings = new RequestSettings(3000, 1, 3000),
        LivenessProbe = new ProbeSettings(PeriodSeconds: 15, TimeoutSeconds: 3),
        EnvironmentVariables = new Dictionary<string, string> { ["MY_VAR"] = "x" },
        InstanceCount = 2,
    };

    internal static DeploymentPlan Plan(OnlineDeploymentSpec? spec = null, string? modelUrl = "https://studio.example/artifacts/m.zip?sig=1", string? codeUrl = "https://studio.example/artifacts/c.zip?sig=2", PodSecurityLevel security = PodSecurityLevel.Restricted, string ns = "team-a-ns") =>
        new("team-a", Guid.Parse("6f1c2d3e-0000-4000-8000-000000000001"), "k8s", ns, "my-endpoint", (spec ?? Blue).Name, $"my-endpoint-{(spec ?? Blue).Name}", 3, spec ?? Blue, Cpu, (spec ?? Blue).Image!, (spec ?? Blue).InitialReplicas, modelUrl, codeUrl, security);

    private static V1Deployment DeploymentOf(DeploymentPlan plan) => (V1Deployment)EndpointManifests.Build(plan).Single(o => o.Kind == "Deployment").Body;

    [Fact]
    public void Build_IsADeploymentAndAClusterIpService_NamedEndpointDeployment()
    {
        var objects = EndpointManifests.Build(Plan());

        Assert.Equal(["Deployment/team-a-ns/my-endpoint-blue", "Service/team-a-ns/my-endpoint-blue"], objects.Select(o => o.Key));
        var service = (V1Service)objects[1].Body;
        Assert.Equal("ClusterIP", service.Spec.Type);
        Assert.Equal(EndpointManifests.ServerPort.ToString(System.Globalization.CultureInfo.InvariantCulture), service.Spec.Ports.Single().TargetPort.Value);
        Assert.Equal(((V1Deployment)objects[0].Body).Spec.Selector.MatchLabels, service.Spec.Selector);
    }

    [Fact]
    public void Pod_IsPlacedByTheInstanceType_WithTheAzureMlTolerations_AndTheDeploymentsOwnResources()
    {
        var deployment = DeploymentOf(Plan());
        var pod = deployment.Spec.Template.Spec;
        var server = pod.Containers.Single();

        Assert.Equal(2, deployment.Spec.Replicas);
        Assert.Equal("cpu", pod.NodeSelector["agentpool"]);
        Assert.Contains(pod.Tolerations, t => t.Key == "ml.azure.com/compute" && t.Value == "k8s");
        Assert.Contains(pod.Tolerations, t => t.Key == "ml.azure.com/workspace" && t.Value == "team-a");
        Assert.Equal(EndpointManifests.ServerContainer, server.Name);
        Assert.Equal("100m", server.Resources.Requests["cpu"].ToString());
        Assert.Equal("200Mi", server.Resources.Limits["memory"].ToString());
        Assert.Equal("200m", server.Resources.Limits["cpu"].ToString());
    }

    [Fact]
    public void WithoutOwnResources_TheInstanceTypesRequestsAndLimitsApply()
    {
        var server = DeploymentOf(Plan(Blue with { Resources = null })).Spec.Template.Spec.Containers.Single();

        Assert.Equal(("500m", "1Gi"), (server.Resources.Requests["cpu"].ToString(), server.Resources.Requests["memory"].ToString()));
        Assert.Equal(("2", "4Gi"), (server.Resources.Limits["cpu"].ToString(), server.Resources.Limits["memory"].ToString()));
    }

    [Fact]
    public void Probes_CarryTheDeploymentsSettings_OnTheServerPort()
    {
        var server = DeploymentOf(Plan()).Spec.Template.Spec.Containers.Single();

        Assert.Equal((15, 3, 10, 30), (server.LivenessProbe.PeriodSeconds, server.LivenessProbe.TimeoutSeconds, server.LivenessProbe.InitialDelaySeconds, server.LivenessProbe.FailureThreshold));
        Assert.Equal((10, 2), (server.ReadinessProbe.PeriodSeconds, server.ReadinessProbe.TimeoutSeconds));
        Assert.Equal("5001", server.ReadinessProbe.HttpGet.Port.Value);
    }

    [Fact]
    public void StorageInitializer_FetchesModelAndCodeThroughTheirSignedUrlsOnly_IntoTheAppFolderTheServerReads()
    {
        var pod = DeploymentOf(Plan()).Spec.Template.Spec;
        var init = Assert.Single(pod.InitContainers);
        var server = pod.Containers.Single();
        var env = server.Env.ToDictionary(e => e.Name, e => e.Value);

        Assert.Equal(EndpointManifests.InitContainer, init.Name);
        Assert.Equal(["https://studio.example/artifacts/m.zip?sig=1", "https://studio.example/artifacts/c.zip?sig=2"], init.Env.Select(e => e.Value));
        Assert.True(init.SecurityContext.ReadOnlyRootFilesystem);
        Assert.Equal(EndpointManifests.AppRoot, init.VolumeMounts.Single().MountPath);
        Assert.True(server.VolumeMounts.Single().ReadOnlyProperty);
        Assert.Equal(("/var/azureml-app/azureml-models", "score.py", "x"), (env["AZUREML_MODEL_DIR"], env["AZUREML_ENTRY_SCRIPT"], env["MY_VAR"]));
        Assert.Equal("3000", env["SCORING_TIMEOUT_MS"]);
        Assert.DoesNotContain(server.Env, e => e.Value?.Contains("sig=", StringComparison.Ordinal) == true);
    }

    [Fact]
    public void WithNothingToFetch_ThereIsNoInitStep()
    {
        Assert.Null(DeploymentOf(Plan(modelUrl: null, codeUrl: null)).Spec.Template.Spec.InitContainers);
    }

    [Fact]
    public void Pods_MeetTheRestrictedStandard_WithoutAServiceAccountToken_AndBaselineKeepsTheImagesUser()
    {
        var restricted = DeploymentOf(Plan()).Spec.Template.Spec;
        var baseline = DeploymentOf(Plan(security: PodSecurityLevel.Baseline)).Spec.Template.Spec;

        Assert.False(restricted.AutomountServiceAccountToken);
        Assert.True(restricted.SecurityContext.RunAsNonRoot);
        Assert.All(restricted.Containers.Concat(restricted.InitContainers), c => Assert.Equal(["ALL"], c.SecurityContext.Capabilities.Drop));
        Assert.False(baseline.AutomountServiceAccountToken);
        Assert.Null(baseline.SecurityContext.RunAsNonRoot);
    }

    [Fact]
    public void Rollout_KeepsOldReplicasServingUntilNewOnesAreReady_WithinTwentyMinutes_AndCarriesTheGeneration()
    {
        var deployment = DeploymentOf(Plan());

        Assert.Equal("0", deployment.Spec.Strategy.RollingUpdate.MaxUnavailable.Value);
        Assert.Equal(1200, deployment.Spec.ProgressDeadlineSeconds);
        Assert.Equal("3", deployment.Metadata.Annotations[EndpointManifests.GenerationAnnotation]);
        Assert.Equal("3", deployment.Spec.Template.Metadata.Annotations[EndpointManifests.GenerationAnnotation]);
    }

    [Fact]
    public void TargetUtilization_StartsAtMinInstances()
    {
        var spec = Blue with { ScaleSettings = new ScaleSettings(ScaleType.TargetUtilization, 2, 5) };

        Assert.Equal(2, DeploymentOf(Plan(spec)).Spec.Replicas);
    }

    [Fact]
    public void Route_SplitsByWeight_MirrorsToOneDeployment_AndRoutesTheDeploymentHeader()
    {
        var endpoint = OnlineEndpoint.Create(Guid.NewGuid(), new OnlineEndpointSpec { Name = "my-endpoint", Compute = "k8s" }, Guid.NewGuid(), "team-a-ns", "k1", "k2", DateTimeOffset.UnixEpoch).Value;
        endpoint.SetTraffic(new Dictionary<string, int> { ["blue"] = 90, ["green"] = 10 }, new Dictionary<string, int> { ["red"] = 20 }, ["blue", "green", "red"], DateTimeOffset.UnixEpoch);
        var services = new Dictionary<string, string> { ["blue"] = "my-endpoint-blue", ["green"] = "my-endpoint-green", ["red"] = "my-endpoint-red" };

        var route = EndpointRoutes.Build(endpoint, services, new GatewayReference("studio-gateway", "gateways"), new Dictionary<string, string> { ["app.kubernetes.io/managed-by"] = "studio" });

        var body = (JsonObject)route.Body;
        Assert.Equal(("HTTPRoute", "httproutes", "gateway.networking.k8s.io"), (route.Kind, route.Plural, route.Group));
        var rules = body["spec"]!["rules"]!.AsArray();
        var split = rules[0]!;
        Assert.Equal("/api/v1/endpoint/my-endpoint/", (string?)split["matches"]![0]!["path"]!["value"]);
        Assert.Equal(["my-endpoint-blue:90", "my-endpoint-green:10"], split["backendRefs"]!.AsArray().Select(b => $"{b!["name"]}:{b["weight"]}"));
        var mirror = split["filters"]![0]!["requestMirror"]!;
        Assert.Equal(("my-endpoint-red", 20), ((string?)mirror["backendRef"]!["name"], (int)mirror["percent"]!));
        Assert.Equal(4, rules.Count);
        Assert.Equal("red", (string?)rules[3]!["matches"]![0]!["headers"]![0]!["value"]);
        Assert.Equal(("studio-gateway", "gateways"), ((string?)body["spec"]!["parentRefs"]![0]!["name"], (string?)body["spec"]!["parentRefs"]![0]!["namespace"]));
    }
}
