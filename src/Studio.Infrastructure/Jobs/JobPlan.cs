using Studio.Domain.InstanceTypes;
using Studio.Domain.Jobs;

namespace Studio.Infrastructure.Jobs;

/// <summary>
/// Everything the manifest builder needs: where the job goes, what it runs and how it is placed. <see cref="Name"/> is
/// the Kubernetes name of its objects; <see cref="WorkspaceId"/>, when given, labels them with their workspace.
/// </summary>
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
    Guid? WorkspaceId = null);
