using Studio.Domain.InstanceTypes;
using Studio.Domain.Jobs;

namespace Studio.Infrastructure.Jobs;

/// <summary>Everything the manifest builder needs: where the job goes, what it runs and how it is placed.</summary>
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
    string? ServiceAccount = null);
