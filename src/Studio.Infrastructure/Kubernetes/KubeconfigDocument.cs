using System.Text;
using k8s;
using k8s.KubeConfigModels;

namespace Studio.Infrastructure.Kubernetes;

/// <summary>A kubeconfig that passed <see cref="KubeconfigInspector"/>: only inline credentials, allowed plugins, allowed servers.</summary>
public sealed class KubeconfigDocument
{
    private readonly K8SConfiguration _config;

    internal KubeconfigDocument(K8SConfiguration config, IReadOnlyList<KubeconfigContext> contexts)
    {
        _config = config;
        Contexts = contexts;
    }

    public IReadOnlyList<KubeconfigContext> Contexts { get; }

    public string? CurrentContext => _config.CurrentContext;

    /// <summary>A self-contained kubeconfig holding only <paramref name="contextName"/>, its cluster and its user.</summary>
    public string ExtractContext(string contextName)
    {
        var context = _config.Contexts.First(c => c.Name == contextName);
        var single = new K8SConfiguration
        {
            ApiVersion = "v1",
            Kind = "Config",
            CurrentContext = context.Name,
            Contexts = [context],
            Clusters = [.. _config.Clusters.Where(c => c.Name == context.ContextDetails.Cluster)],
            Users = [.. _config.Users.Where(u => u.Name == context.ContextDetails.User)],
        };
        return KubernetesYaml.Serialize(single);
    }

    /// <summary>Client configuration for one context of a stored single-context kubeconfig.</summary>
    public static KubernetesClientConfiguration ToClientConfiguration(string kubeconfigYaml)
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(kubeconfigYaml));
        var config = KubernetesClientConfiguration.LoadKubeConfig(stream);
        return KubernetesClientConfiguration.BuildConfigFromConfigObject(config);
    }
}
