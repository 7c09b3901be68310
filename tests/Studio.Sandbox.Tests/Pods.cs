using k8s.Models;

namespace Studio.Sandbox.Tests;

internal static class Pods
{
    public static V1Pod New(string name, IDictionary<string, string>? labels = null, string image = "nginx:1.27") => new()
    {
        Metadata = new V1ObjectMeta { Name = name, Labels = labels },
        Spec = new V1PodSpec { Containers = [new V1Container { Name = "main", Image = image }] },
    };
}
