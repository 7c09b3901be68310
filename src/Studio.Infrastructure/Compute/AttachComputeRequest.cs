using Studio.Domain.Workspaces;

namespace Studio.Infrastructure.Compute;

/// <summary>
/// Attach a cluster to a workspace. <see cref="CreateNamespace"/> confirms creating a missing namespace;
/// <see cref="ConfirmSharedNamespace"/> confirms using a namespace another compute target already uses.
/// <see cref="PodSecurity"/> is the Pod Security Standard of its workloads (restricted unless an administrator chooses baseline).
/// </summary>
public sealed record AttachComputeRequest(
    string? Name,
    string? Cluster,
    string? Namespace,
    string? Description = null,
    string? DefaultInstanceType = null,
    NamespaceQuota? Quota = null,
    bool CreateNamespace = false,
    bool ConfirmSharedNamespace = false,
    PodSecurityLevel PodSecurity = PodSecurityLevel.Restricted);
