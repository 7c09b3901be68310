using System.Text;
using k8s;
using k8s.Models;
using Microsoft.Extensions.DependencyInjection;
using Studio.Sandbox.Hosting;

namespace Studio.Web.Tests.Live;

/// <summary>A raw Kubernetes client of the embedded sandbox, to change the cluster under a live test.</summary>
internal static class SandboxPods
{
    public static async Task<k8s.Kubernetes> ClientAsync(IServiceProvider services)
    {
        var kubeconfig = (await services.GetRequiredService<SandboxHost>().Ready).CreateKubeconfigYaml();
        return new k8s.Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(new MemoryStream(Encoding.UTF8.GetBytes(kubeconfig))));
    }

    /// <summary>A pod that pulls at once and runs <paramref name="seconds"/> simulated seconds, then succeeds.</summary>
    public static V1Pod ShortPod(string name, string @namespace, int seconds = 1, IDictionary<string, string>? labels = null) => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = name,
            NamespaceProperty = @namespace,
            Labels = labels,
            Annotations = new Dictionary<string, string> { ["sandbox.studio/pull-seconds"] = "0", ["sandbox.studio/run-seconds"] = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture) },
        },
        Spec = new V1PodSpec
        {
            RestartPolicy = "Never",
            Containers = [new V1Container { Name = "main", Image = "busybox", Command = ["sleep", seconds.ToString(System.Globalization.CultureInfo.InvariantCulture)] }],
        },
    };

    public static async Task EnsureNamespaceAsync(k8s.Kubernetes client, string name, CancellationToken cancellationToken)
    {
        try
        {
            await client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = name } }, cancellationToken: cancellationToken);
        }
        catch (k8s.Autorest.HttpOperationException ex) when (ex.Response.StatusCode == System.Net.HttpStatusCode.Conflict)
        {
        }
    }
}
