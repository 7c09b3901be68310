using Studio.Domain.Clusters;
using Studio.Domain.Jobs;

namespace Studio.Web.Model;

/// <summary>Everything the job detail page shows about one job (from the service's record and live state).</summary>
public sealed record JobDetailView
{
    public required string Name { get; init; }

    public required string Workspace { get; init; }

    public required JobSpec Spec { get; init; }

    public required JobState State { get; init; }

    public string? StateReason { get; init; }

    public required string Submitter { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset? StartedAt { get; init; }

    public DateTimeOffset? EndedAt { get; init; }

    /// <summary>The instance type that was resolved at submit (the compute's default when the spec named none).</summary>
    public string? InstanceType { get; init; }

    /// <summary>What each pod requests and is limited to.</summary>
    public ResourceAmounts? Requests { get; init; }

    public ResourceAmounts? Limits { get; init; }

    public string? Namespace { get; init; }

    public string? Cluster { get; init; }

    public IReadOnlyList<(JobState State, DateTimeOffset At, string? Detail)> Transitions { get; init; } = [];

    public IReadOnlyList<JobPodView> Pods { get; init; } = [];

    public IReadOnlyList<JobEventView> Events { get; init; } = [];

    public JobExplanation? Explanation { get; init; }

    /// <summary>The submitted spec as CLI v2 YAML.</summary>
    public string? SpecYaml { get; init; }

    /// <summary>The manifests applied to the cluster, as YAML.</summary>
    public string? ManifestsYaml { get; init; }

    /// <summary>True when the pods are gone and the page shows what the studio recorded.</summary>
    public bool FromRecord { get; init; }

    public string Title => string.IsNullOrWhiteSpace(Spec.DisplayName) ? Name : Spec.DisplayName;
}
