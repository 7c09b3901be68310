using Studio.Domain.InstanceTypes;
using Studio.Domain.Jobs;
using Studio.Domain.Workspaces;

namespace Studio.Infrastructure.Jobs;

/// <summary>Everything the manifest builder needs: where the job goes, what it runs, how it is placed and the Pod Security Standard its pods meet.</summary>
public sealed record JobPlan(
    string Workspace,
    string Compute,
    string Namespace,
    string Name,
    JobSpec Spec,
    InstanceType InstanceType,
    string Image,
    GangScheduler Gang = GangScheduler.PodGroupLabel,
    int RendezvousPort = 29500,
    string KueueQueue = "default",
    string? ServiceAccount = null,
    PodSecurityLevel PodSecurity = PodSecurityLevel.Restricted);
