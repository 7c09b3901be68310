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
    ResourceAmounts Limits);
