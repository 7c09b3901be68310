using Studio.Domain.Clusters;

namespace Studio.Domain.Jobs;

/// <summary>
/// Everything a submit resolved before the job is recorded: where it runs (compute target, cluster, namespace), what it
/// runs (instance type and count, distribution, image), who asked, and the texts kept with it (spec, YAML, manifests).
/// </summary>
public sealed record JobSubmission(
    Guid WorkspaceId,
    string Name,
    string? RequestId,
    string? DisplayName,
    string? Experiment,
    string Compute,
    Guid ClusterId,
    string Namespace,
    string InstanceType,
    int InstanceCount,
    DistributionKind Distribution,
    string? Image,
    string SubmitterId,
    string SubmitterName,
    string SearchText,
    string SpecJson,
    string SubmittedYaml,
    string ManifestsYaml,
    ResourceAmounts Requests,
    ResourceAmounts Limits)
{
    /// <summary>The name of its Kubernetes objects (unique in the namespace); null: <see cref="Name"/>.</summary>
    public string? KubernetesName { get; init; }

    /// <summary>A hash of the normalized request, kept with <see cref="RequestId"/>.</summary>
    public string? RequestHash { get; init; }
}
