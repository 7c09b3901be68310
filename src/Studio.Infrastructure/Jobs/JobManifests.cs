using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using k8s.Models;
using Studio.Domain.Clusters;
using Studio.Domain.Jobs;
using Studio.Infrastructure.Compute;
using Studio.Infrastructure.Kubernetes;

namespace Studio.Infrastructure.Jobs;

/// <summary>
/// Builds the Kubernetes objects of a training job. One instance without distribution → a <c>batch/v1</c> Job; otherwise
/// an Indexed Job (<c>parallelism = completions = instance_count</c>) with a headless Service for stable pod DNS names, the
/// rendezvous environment of its framework (PyTorch, TensorFlow <c>TF_CONFIG</c>, MPI hostfile ConfigMap) and gang
/// placement. The pod spec comes from the instance type (nodeSelector, requests/limits, the Azure ML tolerations).
/// </summary>
public static partial class JobManifests
{
    public const string WorkspaceLabel = "studio.io/workspace";

    /// <summary>The workspace's id on every object of its jobs: what the tracker, pod reader, logs and cancel match on.</summary>
    public const string WorkspaceIdLabel = "studio.io/workspace-id";
    public const string ComputeLabel = ExtensionManifests.ComputeLabel;
    public const string JobLabel = "studio.io/job";
    public const string RankLabel = "studio.io/rank";
    public const string RoleLabel = "studio.io/role";
    public const string AzureComputeLabel = "ml.azure.com/compute";
    public const string PodGroupLabel = "scheduling.x-k8s.io/pod-group";
    public const string MinMemberAnnotation = "scheduling.x-k8s.io/min-member";
    public const string VolcanoGroupAnnotation = "scheduling.k8s.io/group-name";
    public const string KueueQueueLabel = "kueue.x-k8s.io/queue-name";

    /// <summary>On a Job held for its image build: the Kueue queue it joins when resumed.</summary>
    public const string QueueAfterBuildAnnotation = "studio.io/queue-after-build";
    public const string CompletionIndexAnnotation = "batch.kubernetes.io/job-completion-index";
    public const string ContainerName = "main";
    public const string HostfilePath = "/etc/studio/mpi/hostfile";

    /// <summary>The label selector of every pod and Job Studio runs for training.</summary>
    public const string Selector = JobLabel;

    /// <summary>Whether the job needs an Indexed Job and a headless Service (more than one instance, or a framework rendezvous).</summary>
    public static bool IsDistributed(JobSpec spec) => spec.InstanceCount > 1 || spec.Distribution.Kind != DistributionKind.None;

    /// <summary>The objects in apply order: the Job first (the others are owned by it, so deletion cascades).</summary>
    public static IReadOnlyList<ManifestObject> Build(JobPlan plan)
    {
        var objects = new List<ManifestObject>();
        var distributed = IsDistributed(plan.Spec);
        if (plan.Spec.Priority is { } priority)
        {
            objects.Add(new("scheduling.k8s.io/v1", "PriorityClass", null, PriorityClassName(priority), PriorityClass(priority)));
        }

        objects.Add(new("batch/v1", "Job", plan.Namespace, plan.Name, Job(plan, distributed)));
        if (distributed)
        {
            objects.Add(new("v1", "Service", plan.Namespace, plan.Name, HeadlessService(plan)));
            if (plan.Spec.Distribution.Kind == DistributionKind.Mpi)
            {
                objects.Add(new("v1", "ConfigMap", plan.Namespace, plan.Name + "-mpi", Hostfile(plan)));
            }

            if (plan.Gang == GangScheduler.Volcano && plan.Spec.InstanceCount > 1)
            {
                objects.Add(new("scheduling.volcano.sh/v1beta1", "PodGroup", plan.Namespace, plan.Name, VolcanoPodGroup(plan)));
            }
        }

        return objects;
    }

    /// <summary>
    /// The cluster-scoped PriorityClass a job of this priority uses (<c>studio-priority-50</c>, <c>studio-priority-m10</c>
    /// for -10): shared by every job of that priority, never owned by one job, and non-preempting — priority orders the
    /// queue; it does not evict running work.
    /// </summary>
    public static string PriorityClassName(int priority) =>
        "studio-priority-" + (priority < 0 ? "m" + (-priority).ToString(CultureInfo.InvariantCulture) : priority.ToString(CultureInfo.InvariantCulture));

    private static V1PriorityClass PriorityClass(int priority) => new()
    {
        ApiVersion = "scheduling.k8s.io/v1",
        Kind = "PriorityClass",
        Metadata = new V1ObjectMeta { Name = PriorityClassName(priority), Labels = new Dictionary<string, string> { ["app.kubernetes.io/managed-by"] = "studio" } },
        Value = priority,
        GlobalDefault = false,
        PreemptionPolicy = "Never",
        Description = $"Studio training jobs with priority {priority}: higher runs first when capacity is short.",
    };

    /// <summary>The objects as one YAML document stream (what the preview shows and the record keeps).</summary>
    public static string ToYaml(IEnumerable<ManifestObject> objects) => string.Join("---\n", objects.Select(o => ManifestYaml.Write(o.Body)));

    /// <summary>Sets the owner reference to the applied Job on every object but the Job itself.</summary>
    public static void SetOwner(IEnumerable<ManifestObject> objects, string jobName, string jobUid)
    {
        var owner = new V1OwnerReference { ApiVersion = "batch/v1", Kind = "Job", Name = jobName, Uid = jobUid, BlockOwnerDeletion = true, Controller = false };
        foreach (var o in objects.Where(o => o.Kind != "Job" && o.Namespace is not null))
        {
            switch (o.Body)
            {
                case IMetadata<V1ObjectMeta> typed:
                    typed.Metadata.OwnerReferences = [owner];
                    break;
                case JsonObject json when json["metadata"] is JsonObject meta:
                    meta["ownerReferences"] = new JsonArray(new JsonObject { ["apiVersion"] = "batch/v1", ["kind"] = "Job", ["name"] = jobName, ["uid"] = jobUid, ["blockOwnerDeletion"] = true });
                    break;
                case Dictionary<string, object> dict when dict["metadata"] is Dictionary<string, object> meta:
                    meta["ownerReferences"] = new[] { new Dictionary<string, object> { ["apiVersion"] = "batch/v1", ["kind"] = "Job", ["name"] = jobName, ["uid"] = jobUid, ["blockOwnerDeletion"] = true } };
                    break;
            }
        }
    }

    /// <summary>Labels every object of the job carries.</summary>
    public static Dictionary<string, string> Labels(JobPlan plan)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [ExtensionManifests.ManagedByLabel] = ExtensionManifests.ManagedBy,
            [WorkspaceLabel] = LabelValue(plan.Workspace),
            [ComputeLabel] = LabelValue(plan.Compute),
            [AzureComputeLabel] = LabelValue(plan.Compute),
            [JobLabel] = plan.Name,
        };
        if (plan.WorkspaceId is { } id)
        {
            labels[WorkspaceIdLabel] = TrainingJob.WorkspaceLabelValue(id);
        }

        return labels;
    }

    /// <summary>The label selector of one job's pods (with its workspace's id unless it was recorded before objects carried it).</summary>
    public static string PodSelector(TrainingJob record) =>
        record.HasWorkspaceUniqueName
            ? $"{JobLabel}={record.KubernetesName},{WorkspaceIdLabel}={TrainingJob.WorkspaceLabelValue(record.WorkspaceId)}"
            : $"{JobLabel}={record.KubernetesName}";

    private static V1Job Job(JobPlan plan, bool distributed)
    {
        var spec = plan.Spec;
        var labels = Labels(plan);
        var annotations = JobAnnotations(plan);
        if (plan.Gang == GangScheduler.Kueue && distributed)
        {
            // A Job held for its image build joins its queue once resumed (Kueue would admit, and so resume, it at once).
            if (plan.HoldForBuild)
            {
                annotations[QueueAfterBuildAnnotation] = plan.KueueQueue;
            }
            else
            {
                labels[KueueQueueLabel] = plan.KueueQueue;
            }
        }

        var podLabels = new Dictionary<string, string>(Labels(plan), StringComparer.Ordinal) { [RoleLabel] = Role(spec.Distribution.Kind, distributed) };
        var podAnnotations = new Dictionary<string, string>(spec.PodAnnotations, StringComparer.Ordinal);
        if (distributed && spec.InstanceCount > 1)
        {
            switch (plan.Gang)
            {
                case GangScheduler.PodGroupLabel:
                    podLabels[PodGroupLabel] = plan.Name;
                    podAnnotations[MinMemberAnnotation] = spec.InstanceCount.ToString(CultureInfo.InvariantCulture);
                    break;
                case GangScheduler.Volcano:
                    podAnnotations[VolcanoGroupAnnotation] = plan.Name;
                    break;
            }
        }

        if (!distributed)
        {
            podLabels[RankLabel] = "0";
        }

        var podSpec = new V1PodSpec
        {
            RestartPolicy = "Never",
            PriorityClassName = spec.Priority is { } p ? PriorityClassName(p) : null,
            NodeSelector = plan.InstanceType.NodeSelector.Count == 0 ? null : new Dictionary<string, string>(plan.InstanceType.NodeSelector),
            Tolerations = Tolerations(plan),
            Containers = [Container(plan, distributed)],
            ServiceAccountName = plan.ServiceAccount,
            SchedulerName = plan.Gang == GangScheduler.Volcano && distributed && spec.InstanceCount > 1 ? "volcano" : null,
            EnableServiceLinks = false,
        };
        if (distributed)
        {
            podSpec.Subdomain = plan.Name;
        }

        if (spec.Distribution.Kind == DistributionKind.Mpi)
        {
            podSpec.Volumes = [new V1Volume { Name = "mpi-hostfile", ConfigMap = new V1ConfigMapVolumeSource { Name = plan.Name + "-mpi" } }];
            podSpec.Containers[0].VolumeMounts = [new V1VolumeMount { Name = "mpi-hostfile", MountPath = Path.GetDirectoryName(HostfilePath)!.Replace('\\', '/'), ReadOnlyProperty = true }];
        }

        AddCode(plan, podSpec);
        AddInputs(plan, podSpec);
        AddEnvironment(plan, podSpec);
        AddOutputs(plan, podSpec);
        ApplyPodSecurity(podSpec, plan.PodSecurity);
        HardenFetch(podSpec);

        return new V1Job
        {
            ApiVersion = "batch/v1",
            Kind = "Job",
            Metadata = new V1ObjectMeta
            {
                Name = plan.Name,
                NamespaceProperty = plan.Namespace,
                Labels = labels,
                Annotations = annotations,
            },
            Spec = new V1JobSpec
            {
                Parallelism = spec.InstanceCount,
                Completions = spec.InstanceCount,
                CompletionMode = distributed ? "Indexed" : null,
                BackoffLimit = spec.MaxRetries,
                ActiveDeadlineSeconds = spec.Timeout is { } t ? (long)Math.Ceiling(t.TotalSeconds) : null,
                Suspend = plan.HoldForBuild ? true : null,
                ManualSelector = null,
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta { Labels = podLabels, Annotations = podAnnotations.Count == 0 ? null : podAnnotations },
                    Spec = podSpec,
                },
            },
        };
    }

    private static Dictionary<string, string> JobAnnotations(JobPlan plan)
    {
        var a = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["studio.io/instance-type"] = plan.InstanceType.Name,
            ["studio.io/workspace-name"] = plan.Workspace,
        };
        if (!string.IsNullOrWhiteSpace(plan.Spec.DisplayName))
        {
            a["studio.io/display-name"] = plan.Spec.DisplayName!;
        }

        if (!string.IsNullOrWhiteSpace(plan.Spec.ExperimentName))
        {
            a["studio.io/experiment"] = plan.Spec.ExperimentName!;
        }

        return a;
    }

    private static V1Container Container(JobPlan plan, bool distributed)
    {
        var spec = plan.Spec;
        var env = new List<V1EnvVar>();
        foreach (var (key, value) in spec.EnvironmentVariables.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            env.Add(Env(key, value));
        }

        env.Add(Env("AZUREML_RUN_ID", plan.Name));
        env.Add(Env("STUDIO_JOB_NAME", plan.Name));
        env.Add(Env("STUDIO_WORKSPACE", plan.Workspace));
        var prelude = new StringBuilder();
        if (distributed)
        {
            env.AddRange(Rendezvous(plan, prelude));
        }

        var command = spec.ResolvedCommand();
        var script = prelude.Length == 0 ? command : prelude + command;
        return new V1Container
        {
            Name = ContainerName,
            Image = plan.Image,
            Command = ["/bin/bash", "-c"],
            Args = [script],
            Env = env,
            Resources = Resources(plan.InstanceType.Requests, plan.InstanceType.Limits),
            Ports = distributed ? [new V1ContainerPort { Name = "rendezvous", ContainerPort = plan.RendezvousPort, Protocol = "TCP" }] : null,
        };
    }

    /// <summary>
    /// The Azure ML tolerations (reference §1.6): the taints ML nodes carry for all AML pods, for workloads, and for this
    /// workspace and compute target.
    /// </summary>
    public static List<V1Toleration> Tolerations(JobPlan plan) => Tolerations(plan.Workspace, plan.Compute, plan.InstanceType);

    /// <summary>The Azure ML tolerations of any workload's pods (jobs and online deployments) on this workspace, compute target and instance type.</summary>
    public static List<V1Toleration> Tolerations(string workspace, string compute, Studio.Domain.InstanceTypes.InstanceType instanceType) =>
    [
        new() { Key = "ml.azure.com/amlarc", OperatorProperty = "Equal", Value = "true" },
        new() { Key = "ml.azure.com/amlarc-workload", OperatorProperty = "Equal", Value = "true" },
        new() { Key = "ml.azure.com/workspace", OperatorProperty = "Equal", Value = LabelValue(workspace) },
        new() { Key = "ml.azure.com/compute", OperatorProperty = "Equal", Value = LabelValue(compute) },
        .. instanceType.Limits.Gpus > 0 || instanceType.Requests.Gpus > 0
            ? new[] { new V1Toleration { Key = "nvidia.com/gpu", OperatorProperty = "Exists" }, new V1Toleration { Key = "sku", OperatorProperty = "Equal", Value = "gpu" } }
            : [],
    ];

    /// <summary>Requests and limits of one container (GPUs in limits only), as the instance type or a deployment gives them.</summary>
    public static V1ResourceRequirements Resources(ResourceAmounts requests, ResourceAmounts limits)
    {
        var req = new Dictionary<string, ResourceQuantity>();
        if (requests.CpuMillis > 0)
        {
            req["cpu"] = new ResourceQuantity(Cpu(requests.CpuMillis));
        }

        if (requests.MemoryBytes > 0)
        {
            req["memory"] = new ResourceQuantity(Memory(requests.MemoryBytes));
        }

        var lim = new Dictionary<string, ResourceQuantity>();
        if (limits.CpuMillis > 0)
        {
            lim["cpu"] = new ResourceQuantity(Cpu(limits.CpuMillis));
        }

        if (limits.MemoryBytes > 0)
        {
            lim["memory"] = new ResourceQuantity(Memory(limits.MemoryBytes));
        }

        var gpus = Math.Max(limits.Gpus, requests.Gpus);
        if (gpus > 0)
        {
            lim["nvidia.com/gpu"] = new ResourceQuantity(gpus.ToString(CultureInfo.InvariantCulture));
        }

        return new V1ResourceRequirements { Requests = req.Count == 0 ? null : req, Limits = lim.Count == 0 ? null : lim };
    }

    private static Dictionary<string, object> Quantities(ResourceAmounts amounts, string gpuKey)
    {
        var d = new Dictionary<string, object> { ["cpu"] = Cpu(amounts.CpuMillis), ["memory"] = Memory(amounts.MemoryBytes) };
        if (amounts.Gpus > 0)
        {
            d[gpuKey] = amounts.Gpus.ToString(CultureInfo.InvariantCulture);
        }

        return d;
    }

    private static ResourceAmounts Multiply(ResourceAmounts a, int n) => new(a.CpuMillis * n, a.MemoryBytes * n, a.Gpus * n);

    /// <summary>CPU as a Kubernetes quantity: whole cores as an integer, otherwise millicores.</summary>
    public static string Cpu(long millis) => millis % 1000 == 0 ? (millis / 1000).ToString(CultureInfo.InvariantCulture) : $"{millis.ToString(CultureInfo.InvariantCulture)}m";

    /// <summary>Memory as a Kubernetes quantity in the largest binary unit that divides it.</summary>
    public static string Memory(long bytes)
    {
        foreach (var (unit, size) in new[] { ("Ti", 1L << 40), ("Gi", 1L << 30), ("Mi", 1L << 20), ("Ki", 1L << 10) })
        {
            if (bytes >= size && bytes % size == 0)
            {
                return (bytes / size).ToString(CultureInfo.InvariantCulture) + unit;
            }
        }

        return bytes.ToString(CultureInfo.InvariantCulture);
    }

    private static string Role(DistributionKind kind, bool distributed) => !distributed ? "main" : kind switch
    {
        DistributionKind.Mpi => "mpi-worker",
        DistributionKind.TensorFlow => "tf-task",
        _ => "worker",
    };

    /// <summary>A label value (≤ 63 characters, alphanumerics at both ends).</summary>
    public static string LabelValue(string value)
    {
        var cleaned = new string([.. value.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '-')]);
        if (cleaned.Length > 63)
        {
            cleaned = cleaned[..63];
        }

        return cleaned.Trim('-', '_', '.');
    }
}
