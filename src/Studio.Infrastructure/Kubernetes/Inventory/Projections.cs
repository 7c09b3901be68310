using k8s.Models;
using Studio.Domain.Clusters;

namespace Studio.Infrastructure.Kubernetes.Inventory;

/// <summary>Maps KubernetesClient models to the studio's slim projections — the boundary where V1* types stop.</summary>
public static class Projections
{
    public const string GpuResource = "nvidia.com/gpu";

    private static readonly string[] PoolLabels = ["agentpool", "kubernetes.azure.com/agentpool", "cloud.google.com/gke-nodepool", "eks.amazonaws.com/nodegroup", "karpenter.sh/nodepool", "node.kubernetes.io/pool"];

    public static NodeInfo ToInfo(V1Node node)
    {
        var labels = (IReadOnlyDictionary<string, string>?)node.Metadata.Labels ?? new Dictionary<string, string>();
        var instanceType = labels.GetValueOrDefault("node.kubernetes.io/instance-type") ?? labels.GetValueOrDefault("beta.kubernetes.io/instance-type");
        var pool = PoolLabels.Select(labels.GetValueOrDefault).FirstOrDefault(v => !string.IsNullOrEmpty(v)) ?? instanceType ?? "(no pool)";
        var ready = node.Status?.Conditions?.FirstOrDefault(c => c.Type == "Ready")?.Status == "True";
        var roles = labels.Keys.Where(k => k.StartsWith("node-role.kubernetes.io/", StringComparison.Ordinal)).Select(k => k["node-role.kubernetes.io/".Length..]).ToList();
        return new NodeInfo(
            node.Metadata.Name,
            labels,
            [.. (node.Spec?.Taints ?? []).Select(t => $"{t.Key}{(string.IsNullOrEmpty(t.Value) ? string.Empty : "=" + t.Value)}:{t.Effect}")],
            ready,
            node.Spec?.Unschedulable == true,
            Amounts(node.Status?.Capacity),
            Amounts(node.Status?.Allocatable),
            (int)Quantity(node.Status?.Allocatable, "pods"),
            node.Status?.NodeInfo?.KubeletVersion,
            node.Metadata.CreationTimestamp is { } created ? new DateTimeOffset(DateTime.SpecifyKind(created, DateTimeKind.Utc)) : null,
            pool,
            instanceType,
            labels.GetValueOrDefault("nvidia.com/gpu.product"),
            roles)
        {
            Conditions = [.. (node.Status?.Conditions ?? []).Select(c => new NodeConditionInfo(
                Common(c.Type) ?? string.Empty,
                Common(c.Status) ?? "Unknown",
                string.IsNullOrEmpty(c.Reason) ? null : c.Reason,
                string.IsNullOrEmpty(c.Message) ? null : c.Message,
                c.LastTransitionTime is { } at ? new DateTimeOffset(DateTime.SpecifyKind(at, DateTimeKind.Utc)) : null))],
        };
    }

    public static PodInfo ToInfo(V1Pod pod)
    {
        var jobName = Label(pod.Metadata, "batch.kubernetes.io/job-name") ?? Label(pod.Metadata, "job-name");
        var owner = pod.Metadata.OwnerReferences?.FirstOrDefault(o => o.Controller == true) ?? pod.Metadata.OwnerReferences?.FirstOrDefault();
        return new(
            pod.Metadata.NamespaceProperty ?? "default",
            pod.Metadata.Name,
            string.IsNullOrEmpty(pod.Spec?.NodeName) ? null : pod.Spec.NodeName,
            Common(pod.Status?.Phase) ?? "Pending",
            PodRequests(pod.Spec),
            pod.Metadata.CreationTimestamp is { } created ? new DateTimeOffset(DateTime.SpecifyKind(created, DateTimeKind.Utc)) : null)
        {
            JobName = jobName,
            EndpointName = Label(pod.Metadata, EndpointLabel),
            Restarts = (pod.Status?.ContainerStatuses ?? []).Sum(c => c.RestartCount) + (pod.Status?.InitContainerStatuses ?? []).Sum(c => c.RestartCount),
            OwnerKind = Common(owner?.Kind),

            // A Job's pods carry its name as a label too: share that one string rather than keep a second copy per pod.
            OwnerName = owner?.Name is { } name && name == jobName ? jobName : owner?.Name,
        };
    }

    /// <summary>
    /// The one instance of a short string that most objects repeat (phases, owner kinds, condition types): 150,000 pods
    /// then hold a reference each instead of their own copy.
    /// </summary>
    private static string? Common(string? value) => value switch
    {
        null => null,
        "Pending" => "Pending",
        "Running" => "Running",
        "Succeeded" => "Succeeded",
        "Failed" => "Failed",
        "Unknown" => "Unknown",
        "True" => "True",
        "False" => "False",
        "ReplicaSet" => "ReplicaSet",
        "Job" => "Job",
        "StatefulSet" => "StatefulSet",
        "DaemonSet" => "DaemonSet",
        "Node" => "Node",
        "Ready" => "Ready",
        "MemoryPressure" => "MemoryPressure",
        "DiskPressure" => "DiskPressure",
        "PIDPressure" => "PIDPressure",
        "NetworkUnavailable" => "NetworkUnavailable",
        _ => value,
    };

    /// <summary>The label that ties a pod to its online endpoint.</summary>
    public const string EndpointLabel = "studio.io/endpoint";

    private static string? Label(V1ObjectMeta metadata, string key) =>
        metadata.Labels is { } labels && labels.TryGetValue(key, out var value) && !string.IsNullOrEmpty(value) ? value : null;

    public static EventInfo ToInfo(Corev1Event e) => new(
        e.Metadata.NamespaceProperty ?? string.Empty,
        e.Metadata.Name,
        e.Reason ?? string.Empty,
        e.Message ?? string.Empty,
        e.InvolvedObject?.Kind ?? string.Empty,
        e.InvolvedObject?.Name ?? string.Empty,
        e.Count ?? 1,
        (e.LastTimestamp ?? e.EventTime ?? e.Metadata.CreationTimestamp) is { } seen ? new DateTimeOffset(DateTime.SpecifyKind(seen, DateTimeKind.Utc)) : null)
    {
        Type = string.IsNullOrEmpty(e.Type) ? "Normal" : e.Type,
    };

    /// <summary>What the scheduler counts: the larger of the containers' sum and the largest init container, plus overhead.</summary>
    public static ResourceAmounts PodRequests(V1PodSpec? spec)
    {
        if (spec is null)
        {
            return ResourceAmounts.Zero;
        }

        var containers = (spec.Containers ?? []).Aggregate(ResourceAmounts.Zero, (sum, c) => sum + Amounts(c.Resources?.Requests, c.Resources?.Limits));
        var init = (spec.InitContainers ?? []).Select(c => Amounts(c.Resources?.Requests, c.Resources?.Limits)).ToList();
        var effective = new ResourceAmounts(
            Math.Max(containers.CpuMillis, init.Count == 0 ? 0 : init.Max(i => i.CpuMillis)),
            Math.Max(containers.MemoryBytes, init.Count == 0 ? 0 : init.Max(i => i.MemoryBytes)),
            Math.Max(containers.Gpus, init.Count == 0 ? 0 : init.Max(i => i.Gpus)));
        return effective + Amounts(spec.Overhead);
    }

    /// <summary>
    /// cpu, memory and nvidia.com/gpu of a resource list. Extended resources such as GPUs are requested through limits
    /// alone; Kubernetes then defaults the request to the limit, and so does this.
    /// </summary>
    public static ResourceAmounts Amounts(IDictionary<string, ResourceQuantity>? requests, IDictionary<string, ResourceQuantity>? limits = null) => new(
        (long)Math.Ceiling(Quantity(requests, "cpu", limits) * 1000m),
        (long)Quantity(requests, "memory", limits),
        (long)Quantity(requests, GpuResource, limits));

    private static decimal Quantity(IDictionary<string, ResourceQuantity>? values, string name, IDictionary<string, ResourceQuantity>? fallback = null)
    {
        if (values is not null && values.TryGetValue(name, out var quantity) && quantity is not null)
        {
            return quantity.ToDecimal();
        }

        return fallback is not null && fallback.TryGetValue(name, out var limit) && limit is not null ? limit.ToDecimal() : 0m;
    }
}
