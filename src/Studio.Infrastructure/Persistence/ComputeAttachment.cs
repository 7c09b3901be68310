using Studio.Domain.Workspaces;

namespace Studio.Infrastructure.Persistence;

/// <summary>A compute target seen from its cluster: which workspace uses which namespace under which name, and the Pod Security Standard it runs under.</summary>
public sealed record ComputeAttachment(Guid ClusterId, string Workspace, string Compute, string Namespace, PodSecurityLevel PodSecurity = PodSecurityLevel.Restricted)
{
    public override string ToString() => $"{Workspace}/{Compute}";
}
