namespace Studio.Infrastructure.Compute;

/// <summary>
/// Namespaces a compute target must never take — the cluster's own (<c>kube-system</c>, <c>kube-public</c>,
/// <c>kube-node-lease</c>) and the extension's (<see cref="ExtensionManifests.SystemNamespace"/>) — and <c>default</c>,
/// which is shared with every workload that names no namespace.
/// </summary>
public static class ComputeNamespaces
{
    /// <summary>The namespace every workload that names none lands in: attaching it needs the shared-namespace confirmation.</summary>
    public const string Default = "default";

    /// <summary>How <see cref="Default"/>'s other users are named where a shared namespace lists them.</summary>
    public const string DefaultNamespaceUsers = "every workload on the cluster that names no namespace";

    /// <summary>The namespaces refused on attach.</summary>
    public static readonly IReadOnlyList<string> Reserved = ["kube-system", "kube-public", "kube-node-lease", ExtensionManifests.SystemNamespace];

    /// <summary>Why <paramref name="namespace"/> cannot hold a compute target, or null when it can.</summary>
    public static string? Refusal(string @namespace) =>
        Reserved.Contains(@namespace, StringComparer.Ordinal)
            ? @namespace == ExtensionManifests.SystemNamespace
                ? $"Namespace '{@namespace}' belongs to the Studio extension; workloads never run there. Choose a namespace of their own."
                : $"Namespace '{@namespace}' belongs to Kubernetes itself; workloads never run there. Choose a namespace of their own."
            : null;
}
