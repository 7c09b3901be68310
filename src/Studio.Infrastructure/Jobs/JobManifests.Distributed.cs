using System.Globalization;
using System.Text;
using System.Text.Json;
using k8s.Models;
using Studio.Domain.Jobs;

namespace Studio.Infrastructure.Jobs;

/// <summary>The distributed part of a job's objects: the framework's rendezvous variables, the headless Service, the MPI hostfile and the Volcano pod group.</summary>
public static partial class JobManifests
{
    /// <summary>
    /// The rendezvous variables of the framework. Ranks come from the Indexed Job's completion index (a downward-API field,
    /// so they are right in every pod); MASTER_ADDR is rank 0's stable DNS name through the headless Service.
    /// </summary>
    private static IEnumerable<V1EnvVar> Rendezvous(JobPlan plan, StringBuilder prelude)
    {
        var spec = plan.Spec;
        var n = spec.InstanceCount;
        var port = plan.RendezvousPort.ToString(CultureInfo.InvariantCulture);
        var index = new V1EnvVarSource { FieldRef = new V1ObjectFieldSelector { FieldPath = $"metadata.annotations['{CompletionIndexAnnotation}']" } };
        var master = PodDns(plan, 0);
        var nproc = spec.Distribution.ProcessCountPerInstance ?? 1;
        yield return Env("MASTER_ADDR", master);
        yield return Env("MASTER_PORT", port);
        yield return Env("NODE_COUNT", n.ToString(CultureInfo.InvariantCulture));
        yield return Env("NODE_RANK", index);
        switch (spec.Distribution.Kind)
        {
            case DistributionKind.TensorFlow:
                var ps = spec.Distribution.ParameterServerCount ?? 0;
                var workers = Enumerable.Range(ps, n - ps).Select(i => $"{PodDns(plan, i)}:{port}").ToList();
                var parameterServers = Enumerable.Range(0, ps).Select(i => $"{PodDns(plan, i)}:{port}").ToList();
                var cluster = new Dictionary<string, object> { ["worker"] = workers };
                if (ps > 0)
                {
                    cluster["ps"] = parameterServers;
                }

                yield return Env("TF_CLUSTER", JsonSerializer.Serialize(cluster));
                yield return Env("TF_PS_COUNT", ps.ToString(CultureInfo.InvariantCulture));
                yield return Env("RANK", index);
                yield return Env("WORLD_SIZE", n.ToString(CultureInfo.InvariantCulture));
                // TF_CONFIG's task depends on the pod's index: the first TF_PS_COUNT indexes are parameter servers.
                prelude.Append("if [ \"$NODE_RANK\" -lt \"$TF_PS_COUNT\" ]; then TF_TASK_TYPE=ps; TF_TASK_INDEX=$NODE_RANK; else TF_TASK_TYPE=worker; TF_TASK_INDEX=$((NODE_RANK - TF_PS_COUNT)); fi\n")
                    .Append("export TF_CONFIG=\"{\\\"cluster\\\": $TF_CLUSTER, \\\"task\\\": {\\\"type\\\": \\\"$TF_TASK_TYPE\\\", \\\"index\\\": $TF_TASK_INDEX}}\"\n");
                break;
            case DistributionKind.Mpi:
                yield return Env("OMPI_COMM_WORLD_SIZE", (n * nproc).ToString(CultureInfo.InvariantCulture));
                yield return Env("WORLD_SIZE", (n * nproc).ToString(CultureInfo.InvariantCulture));
                yield return Env("PROCESS_COUNT_PER_INSTANCE", nproc.ToString(CultureInfo.InvariantCulture));
                yield return Env("RANK", index);
                yield return Env("MPI_HOSTFILE", HostfilePath);
                yield return Env("OMPI_MCA_orte_default_hostfile", HostfilePath);
                break;
            default:
                yield return Env("WORLD_SIZE", (n * nproc).ToString(CultureInfo.InvariantCulture));
                yield return Env("RANK", index);
                yield return Env("NPROC_PER_NODE", nproc.ToString(CultureInfo.InvariantCulture));
                yield return Env("PET_NNODES", n.ToString(CultureInfo.InvariantCulture));
                yield return Env("PET_NPROC_PER_NODE", nproc.ToString(CultureInfo.InvariantCulture));
                yield return Env("PET_NODE_RANK", index);
                yield return Env("PET_MASTER_ADDR", master);
                yield return Env("PET_MASTER_PORT", port);
                break;
        }
    }

    private static V1EnvVar Env(string name, string value) => new() { Name = name, Value = value };

    private static V1EnvVar Env(string name, V1EnvVarSource source) => new() { Name = name, ValueFrom = source };

    /// <summary>The stable DNS name of the pod with completion index <paramref name="index"/> (hostname NAME-INDEX, subdomain = the headless Service).</summary>
    public static string PodDns(JobPlan plan, int index) => $"{plan.Name}-{index.ToString(CultureInfo.InvariantCulture)}.{plan.Name}.{plan.Namespace}.svc.cluster.local";

    private static V1Service HeadlessService(JobPlan plan) => new()
    {
        ApiVersion = "v1",
        Kind = "Service",
        Metadata = new V1ObjectMeta { Name = plan.Name, NamespaceProperty = plan.Namespace, Labels = Labels(plan) },
        Spec = new V1ServiceSpec
        {
            ClusterIP = "None",
            PublishNotReadyAddresses = true,
            Selector = new Dictionary<string, string> { [JobLabel] = plan.Name },
            Ports = [new V1ServicePort { Name = "rendezvous", Port = plan.RendezvousPort, TargetPort = plan.RendezvousPort, Protocol = "TCP" }],
        },
    };

    private static V1ConfigMap Hostfile(JobPlan plan)
    {
        var slots = plan.Spec.Distribution.ProcessCountPerInstance ?? 1;
        var lines = Enumerable.Range(0, plan.Spec.InstanceCount).Select(i => $"{PodDns(plan, i)} slots={slots.ToString(CultureInfo.InvariantCulture)}");
        return new V1ConfigMap
        {
            ApiVersion = "v1",
            Kind = "ConfigMap",
            Metadata = new V1ObjectMeta { Name = plan.Name + "-mpi", NamespaceProperty = plan.Namespace, Labels = Labels(plan) },
            Data = new Dictionary<string, string> { ["hostfile"] = string.Join('\n', lines) + "\n" },
        };
    }

    private static Dictionary<string, object> VolcanoPodGroup(JobPlan plan) => new()
    {
        ["apiVersion"] = "scheduling.volcano.sh/v1beta1",
        ["kind"] = "PodGroup",
        ["metadata"] = new Dictionary<string, object> { ["name"] = plan.Name, ["namespace"] = plan.Namespace, ["labels"] = Labels(plan) },
        ["spec"] = new Dictionary<string, object>
        {
            ["minMember"] = plan.Spec.InstanceCount,
            ["minResources"] = Quantities(Multiply(plan.InstanceType.PodRequest, plan.Spec.InstanceCount), gpuKey: "nvidia.com/gpu"),
        },
    };
}
