using k8s.Models;

namespace Studio.Sandbox.Tests.Simulation;

/// <summary>Pod builders for simulation tests.</summary>
internal static class SimPods
{
    public static V1Pod New(string name, string image = "busybox:1.36", string? restartPolicy = "Never", IDictionary<string, string>? annotations = null,
        string cpu = "100m", string memory = "64Mi", int gpus = 0, IDictionary<string, string>? nodeSelector = null, IList<string>? command = null,
        string? memoryLimit = null, int? priority = null, IDictionary<string, string>? labels = null)
    {
        var requests = new Dictionary<string, ResourceQuantity> { ["cpu"] = new(cpu), ["memory"] = new(memory) };
        Dictionary<string, ResourceQuantity>? limits = null;
        if (gpus > 0)
        {
            requests["nvidia.com/gpu"] = new(gpus.ToString(System.Globalization.CultureInfo.InvariantCulture));
            limits = new() { ["nvidia.com/gpu"] = new(gpus.ToString(System.Globalization.CultureInfo.InvariantCulture)) };
        }

        if (memoryLimit is not null)
        {
            limits ??= [];
            limits["memory"] = new(memoryLimit);
        }

        return new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = name, Annotations = annotations, Labels = labels },
            Spec = new V1PodSpec
            {
                RestartPolicy = restartPolicy,
                NodeSelector = nodeSelector,
                Priority = priority,
                Tolerations = gpus > 0 ? [new V1Toleration { Key = "sku", OperatorProperty = "Exists" }] : null,
                Containers = [new V1Container { Name = "main", Image = image, Command = command, Resources = new V1ResourceRequirements { Requests = requests, Limits = limits } }],
            },
        };
    }
}
