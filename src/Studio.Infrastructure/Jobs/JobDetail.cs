using Studio.Domain.Clusters;
using Studio.Domain.Jobs;

namespace Studio.Infrastructure.Jobs;

/// <summary>
/// Everything the detail page shows, from the durable record merged with live cluster state when the cluster is reachable:
/// the spec as submitted (and as YAML), the timeline, pods by rank, events, the explainer, resources requested, and the
/// manifests that were applied. <see cref="LiveProblem"/> says why live state is missing (the record still answers).
/// <see cref="EnvironmentBuild"/> is the in-cluster build of its image, when its environment is a Docker context.
/// </summary>
public sealed record JobDetail(
    JobSummary Summary,
    JobSpec Spec,
    string SubmittedYaml,
    string Namespace,
    string Cluster,
    string? Image,
    IReadOnlyList<JobTransition> Timeline,
    IReadOnlyList<JobPodView> Pods,
    IReadOnlyList<JobEventView> Events,
    JobExplanation? Explanation,
    ResourceAmounts RequestsPerInstance,
    ResourceAmounts LimitsPerInstance,
    string AppliedManifests,
    string? LiveProblem,
    JobEnvironmentBuildView? EnvironmentBuild = null);
