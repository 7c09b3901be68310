using System.Globalization;
using k8s.Models;
using Studio.Domain.Endpoints;
using Studio.Infrastructure.Compute;
using Studio.Infrastructure.Jobs;
using Studio.Infrastructure.Kubernetes;

namespace Studio.Infrastructure.Endpoints;

/// <summary>
/// Builds the Kubernetes objects of an online deployment: an <c>apps/v1</c> Deployment (the instance type's nodeSelector,
/// the Azure ML tolerations, requests/limits from the deployment's <c>resources</c> or the instance type, liveness and
/// readiness probes, the workspace's Pod Security Standard, no service-account token, a surge rollout that keeps the old
/// replicas serving until the new ones are ready, Azure ML's 20-minute progress deadline) whose <c>storage-initializer</c>
/// step fetches the model and code through signed URLs before the <c>inference-server</c> container starts; and a
/// ClusterIP Service on the server's port. The endpoint's <c>HTTPRoute</c> is in <see cref="EndpointRoutes"/>.
/// </summary>
public static class EndpointManifests
{
    public const string EndpointLabel = "studio.io/endpoint";
    public const string DeploymentLabel = "studio.io/deployment";
    public const string GenerationAnnotation = "studio.io/generation";
    public const string ServerContainer = "inference-server";
    public const string InitContainer = "storage-initializer";

    /// <summary>The port the inference server listens on (azureml-fe reaches model pods on 5001, §2.4).</summary>
    public const int ServerPort = 5001;

    public const string AppRoot = "/var/azureml-app";
    public const string ModelDir = AppRoot + "/azureml-models";
    public const string CodeDir = AppRoot + "/code";
    public const string AppVolume = "azureml-app";
    public const string ModelUrlVariable = "STUDIO_MODEL_URL";
    public const string CodeUrlVariable = "STUDIO_CODE_URL";

    /// <summary>What the storage-initializer runs (BusyBox's wget and unzip): each zip given is downloaded, unpacked and removed; any failure fails the pod with the tool's message.</summary>
    public const string FetchScript =
        "set -eu\n" +
        "fetch() { mkdir -p \"$2\"; wget -q -O \"$2/.studio.zip\" \"$1\"; unzip -q -o \"$2/.studio.zip\" -d \"$2\"; rm -f \"$2/.studio.zip\"; }\n" +
        "if [ -n \"${" + ModelUrlVariable + ":-}\" ]; then fetch \"$" + ModelUrlVariable + "\" \"" + ModelDir + "\"; fi\n" +
        "if [ -n \"${" + CodeUrlVariable + ":-}\" ]; then fetch \"$" + CodeUrlVariable + "\" \"" + CodeDir + "\"; fi\n";

    /// <summary>The Deployment and its Service, in apply order.</summary>
    public static IReadOnlyList<ManifestObject> Build(DeploymentPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return
        [
            new("apps/v1", "Deployment", plan.Namespace, plan.KubernetesName, Deployment(plan)),
            new("v1", "Service", plan.Namespace, plan.KubernetesName, Service(plan)),
        ];
    }

    /// <summary>Labels on every object of the deployment (and the pod selector: endpoint, deployment and workspace id).</summary>
    public static Dictionary<string, string> Labels(DeploymentPlan plan) => new(StringComparer.Ordinal)
    {
        [ExtensionManifests.ManagedByLabel] = ExtensionManifests.ManagedBy,
        [JobManifests.WorkspaceLabel] = JobManifests.LabelValue(plan.Workspace),
        [JobManifests.WorkspaceIdLabel] = Studio.Domain.Jobs.TrainingJob.WorkspaceLabelValue(plan.WorkspaceId),
        [JobManifests.ComputeLabel] = JobManifests.LabelValue(plan.Compute),
        [JobManifests.AzureComputeLabel] = JobManifests.LabelValue(plan.Compute),
        [EndpointLabel] = plan.Endpoint,
        [DeploymentLabel] = plan.Deployment,
    };

    private static Dictionary<string, string> Selector(DeploymentPlan plan) => new(StringComparer.Ordinal)
    {
        [JobManifests.WorkspaceIdLabel] = Studio.Domain.Jobs.TrainingJob.WorkspaceLabelValue(plan.WorkspaceId),
        [EndpointLabel] = plan.Endpoint,
        [DeploymentLabel] = plan.Deployment,
    };

    private static V1Deployment Deployment(DeploymentPlan plan)
    {
        var annotations = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [GenerationAnnotation] = plan.Generation.ToString(CultureInfo.InvariantCulture),
            ["studio.io/instance-type"] = plan.InstanceType.Name,
            ["studio.io/workspace-name"] = plan.Workspace,
        };
        var pod = new V1PodSpec
        {
            NodeSelector = plan.InstanceType.NodeSelector.Count == 0 ? null : new Dictionary<string, string>(plan.InstanceType.NodeSelector),
            Tolerations = JobManifests.Tolerations(plan.Workspace, plan.Compute, plan.InstanceType),
            Containers = [Server(plan)],
            EnableServiceLinks = false,
            TerminationGracePeriodSeconds = 30,
            Volumes = [new V1Volume { Name = AppVolume, EmptyDir = new V1EmptyDirVolumeSource() }],
        };
        if (plan.ModelUrl is not null || plan.CodeUrl is not null)
        {
            pod.InitContainers = [Initializer(plan)];
        }

        JobManifests.ApplyPodSecurity(pod, plan.PodSecurity);
        JobManifests.HardenFetch(pod);
        return new V1Deployment
        {
            ApiVersion = "apps/v1",
            Kind = "Deployment",
            Metadata = new V1ObjectMeta { Name = plan.KubernetesName, NamespaceProperty = plan.Namespace, Labels = Labels(plan), Annotations = annotations },
            Spec = new V1DeploymentSpec
            {
                Replicas = plan.Replicas,
                Selector = new V1LabelSelector { MatchLabels = Selector(plan) },
                // Old replicas keep serving until new ones are ready; Azure ML's 20-minute deadline for a rollout.
                Strategy = new V1DeploymentStrategy { Type = "RollingUpdate", RollingUpdate = new V1RollingUpdateDeployment { MaxSurge = "25%", MaxUnavailable = 0 } },
                ProgressDeadlineSeconds = (int)DeploymentFailure.Deadline.TotalSeconds,
                RevisionHistoryLimit = 3,
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta { Labels = Labels(plan), Annotations = new Dictionary<string, string> { [GenerationAnnotation] = annotations[GenerationAnnotation] } },
                    Spec = pod,
                },
            },
        };
    }

    private static V1Container Server(DeploymentPlan plan)
    {
        var spec = plan.Spec;
        var env = spec.EnvironmentVariables.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => Env(e.Key, e.Value)).ToList();
        env.Add(Env("AML_APP_ROOT", CodeDir));
        env.Add(Env("AZUREML_MODEL_DIR", ModelDir));
        if (spec.CodeConfiguration is { } code)
        {
            env.Add(Env("AZUREML_ENTRY_SCRIPT", code.ScoringScript));
        }

        env.Add(Env("WORKER_COUNT", spec.RequestSettings.MaxConcurrentRequestsPerInstance.ToString(CultureInfo.InvariantCulture)));
        env.Add(Env("SCORING_TIMEOUT_MS", spec.RequestSettings.RequestTimeoutMs.ToString(CultureInfo.InvariantCulture)));
        env.Add(Env("STUDIO_ENDPOINT", plan.Endpoint));
        env.Add(Env("STUDIO_DEPLOYMENT", plan.Deployment));
        return new V1Container
        {
            Name = ServerContainer,
            Image = plan.Image,
            Env = env,
            Ports = [new V1ContainerPort { Name = "http", ContainerPort = ServerPort, Protocol = "TCP" }],
            Resources = JobManifests.Resources(
                DeploymentSpecRules.Requests(spec.Resources, plan.InstanceType),
                DeploymentSpecRules.Limits(spec.Resources, plan.InstanceType)),
            LivenessProbe = Probe(spec.LivenessProbe, "/"),
            ReadinessProbe = Probe(spec.ReadinessProbe, "/"),
            VolumeMounts = [new V1VolumeMount { Name = AppVolume, MountPath = AppRoot, ReadOnlyProperty = true }],
            WorkingDir = CodeDir,
        };
    }

    private static V1Container Initializer(DeploymentPlan plan)
    {
        var env = new List<V1EnvVar>();
        if (plan.ModelUrl is not null)
        {
            env.Add(Env(ModelUrlVariable, plan.ModelUrl));
        }

        if (plan.CodeUrl is not null)
        {
            env.Add(Env(CodeUrlVariable, plan.CodeUrl));
        }

        return new V1Container
        {
            Name = InitContainer,
            Image = plan.FetchImage,
            Command = ["/bin/sh", "-c"],
            Args = [FetchScript],
            Env = env,
            VolumeMounts = [new V1VolumeMount { Name = AppVolume, MountPath = AppRoot }],
            Resources = new V1ResourceRequirements
            {
                Requests = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("100m"), ["memory"] = new("64Mi") },
                Limits = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("1"), ["memory"] = new("256Mi") },
            },
        };
    }

    private static V1Probe Probe(ProbeSettings probe, string path) => new()
    {
        HttpGet = new V1HTTPGetAction { Path = path, Port = ServerPort },
        PeriodSeconds = probe.PeriodSeconds,
        InitialDelaySeconds = probe.InitialDelaySeconds,
        TimeoutSeconds = probe.TimeoutSeconds,
        SuccessThreshold = probe.SuccessThreshold,
        FailureThreshold = probe.FailureThreshold,
    };

    private static V1Service Service(DeploymentPlan plan) => new()
    {
        ApiVersion = "v1",
        Kind = "Service",
        Metadata = new V1ObjectMeta { Name = plan.KubernetesName, NamespaceProperty = plan.Namespace, Labels = Labels(plan) },
        Spec = new V1ServiceSpec
        {
            Type = "ClusterIP",
            Selector = Selector(plan),
            Ports = [new V1ServicePort { Name = "http", Port = 80, TargetPort = ServerPort, Protocol = "TCP" }],
        },
    };

    private static V1EnvVar Env(string name, string value) => new() { Name = name, Value = value };
}
