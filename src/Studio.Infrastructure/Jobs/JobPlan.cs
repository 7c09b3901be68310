using Studio.Domain.InstanceTypes;
using Studio.Domain.Jobs;
using Studio.Domain.Workspaces;

namespace Studio.Infrastructure.Jobs;

/// <summary>
/// Everything the manifest builder needs: where the job goes, what it runs, how it is placed and the Pod Security
/// Standard its pods meet. <see cref="Name"/> is the Kubernetes name of its objects; <see cref="WorkspaceId"/>, when
/// given, labels them with their workspace; <see cref="Code"/>, when given, is the code snapshot its pods fetch;
/// <see cref="HoldForBuild"/> applies the Job suspended until its image is built (<see cref="EnvironmentBuildService"/>).
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
    Guid? WorkspaceId = null,
    PodSecurityLevel PodSecurity = PodSecurityLevel.Restricted,
    JobCodePlan? Code = null,
    IReadOnlyList<JobInputPlan>? Inputs = null,
    IReadOnlyList<JobOutputPlan>? Outputs = null,
    string FetchImage = "busybox:1.36",
    JobEnvironmentPlan? Environment = null,
    bool HoldForBuild = false);
