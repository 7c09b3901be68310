namespace Studio.Infrastructure.Compute;

/// <summary>One Kubernetes object Studio applies: its identity, the typed body, and the YAML a plan shows.</summary>
public sealed record ManifestObject(string ApiVersion, string Kind, string? Namespace, string Name, object Body)
{
    public string Key => Namespace is null ? $"{Kind}/{Name}" : $"{Kind}/{Namespace}/{Name}";

    public string Yaml => k8s.KubernetesYaml.Serialize(Body);
}
