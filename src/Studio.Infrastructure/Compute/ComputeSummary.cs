using Studio.Domain.Workspaces;

namespace Studio.Infrastructure.Compute;

/// <summary>A compute target as the API and pages show it; the live parts are filled in by <c>GetAsync</c> only.</summary>
public sealed record ComputeSummary(
    string Workspace,
    string Name,
    string Cluster,
    Guid ClusterId,
    string Namespace,
    ComputeTargetState State,
    string? StateReason,
    string DefaultInstanceType,
    NamespaceQuota? Quota,
    string? Description,
    string? Identity,
    bool NamespaceCreatedByStudio,
    DateTimeOffset AttachedAt)
{
    public IReadOnlyList<string>? InstanceTypes { get; init; }

    /// <summary>The instance types this target's workloads may use (empty: all of the cluster's).</summary>
    public IReadOnlyList<string> AllowedInstanceTypes { get; init; } = [];

    /// <summary>The Pod Security Standard the target's job pods meet (and its namespace enforces).</summary>
    public PodSecurityLevel PodSecurity { get; init; } = PodSecurityLevel.Restricted;

    public IReadOnlyList<string>? RunningJobs { get; init; }

    public IReadOnlyList<string>? Endpoints { get; init; }

    public string? LiveProblem { get; init; }

    public static ComputeSummary From(Workspace workspace, ComputeTarget target, string clusterName) =>
        new(workspace.Name, target.Name, clusterName, target.ClusterId, target.Namespace, target.State, target.StateReason, target.DefaultInstanceType, target.Quota, target.Description, target.Identity, target.NamespaceCreatedByStudio, target.AttachedAt)
        {
            AllowedInstanceTypes = target.AllowedInstanceTypes,
            PodSecurity = target.PodSecurity,
        };
}
