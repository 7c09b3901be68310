using Studio.Domain.Endpoints;
using Studio.Domain.InstanceTypes;
using Studio.Domain.Workspaces;

namespace Studio.Infrastructure.Endpoints;

/// <summary>
/// Everything the objects of one online deployment are built from: where (workspace, compute target, namespace), what
/// (the deployment record's spec, Kubernetes name and generation), on what (the resolved instance type and image), and
/// the signed, expiring URLs of its model and code zips that the <c>storage-initializer</c> step fetches (never a
/// storage credential).
/// </summary>
public sealed record DeploymentPlan(
    string Workspace,
    Guid WorkspaceId,
    string Compute,
    string Namespace,
    string Endpoint,
    string Deployment,
    string KubernetesName,
    int Generation,
    OnlineDeploymentSpec Spec,
    InstanceType InstanceType,
    string Image,
    int Replicas,
    string? ModelUrl = null,
    string? CodeUrl = null,
    PodSecurityLevel PodSecurity = PodSecurityLevel.Restricted,
    string FetchImage = "busybox:1.36");
