namespace Studio.Infrastructure.Kubernetes;

/// <summary>
/// One Kubernetes object Studio applies: its identity, the typed body, and the YAML a plan shows. Custom resources
/// (kinds the <see cref="ServerSideApplier"/> has no typed call for) are addressed by <see cref="Plural"/>.
/// </summary>
public sealed record ManifestObject(string ApiVersion, string Kind, string? Namespace, string Name, object Body)
{
    public string Key => Namespace is null ? $"{Kind}/{Name}" : $"{Kind}/{Namespace}/{Name}";

    public string Yaml => k8s.KubernetesYaml.Serialize(Body);

    /// <summary>The API group (empty for the core group).</summary>
    public string Group => ApiVersion.Contains('/', StringComparison.Ordinal) ? ApiVersion[..ApiVersion.IndexOf('/', StringComparison.Ordinal)] : string.Empty;

    /// <summary>The API version without the group.</summary>
    public string Version => ApiVersion.Contains('/', StringComparison.Ordinal) ? ApiVersion[(ApiVersion.IndexOf('/', StringComparison.Ordinal) + 1)..] : ApiVersion;

    /// <summary>The resource name of a custom kind in its API path; the conventional lower-case plural unless set.</summary>
    public string Plural { get; init; } = Kind.ToLowerInvariant() + "s";
}
